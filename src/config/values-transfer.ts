/** Pure parsers for `[transfer]`'s value formats: a secondary's address and a TSIG secret. */
import { isIP } from 'node:net';
import type { Parsed } from './values';

/** A NOTIFY target: an IP literal and a port. */
export interface Secondary {
  readonly host: string;
  readonly port: number;
  /** As written, for messages and logs. */
  readonly text: string;
}

/** The DNS port a secondary listens on unless said (RFC 1035 §4.2). */
const DNS_PORT = 53;

/**
 * `"192.0.2.53"`, `"192.0.2.53:5353"`, `"2001:db8::53"` or `"[2001:db8::53]:5353"`: IP literals
 * only, as for every address we bind or send to (no name lookups).
 */
export function parseSecondary(input: string): Parsed<Secondary> {
  const text = input.trim();
  const bad: Parsed<Secondary> = {
    ok: false,
    reason: `${JSON.stringify(input)} is not an IP address with an optional port (e.g. "192.0.2.53", "192.0.2.53:5353", "[2001:db8::53]:53")`,
  };
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  const v4 = /^([0-9.]+)(?::(\d{1,5}))?$/.exec(text);
  let host: string;
  let portText: string | undefined;
  if (bracketed) [, host = '', portText] = bracketed;
  else if (v4) [, host = '', portText] = v4;
  else if (isIP(text) === 6) host = text;
  else return bad;
  if (bracketed ? isIP(host) !== 6 : isIP(host) === 0) return bad;
  const port = portText === undefined ? DNS_PORT : Number(portText);
  if (port < 1 || port > 65535) return bad;
  return { ok: true, value: { host, port, text } };
}

/** A TSIG secret: base64 (RFC 4648 §4, padding optional) of at least one byte. */
export function parseTsigSecret(input: string): Parsed<string> {
  const text = input.trim();
  const valid = /^[A-Za-z0-9+/]+={0,2}$/.test(text) && Buffer.from(text, 'base64').length > 0;
  return valid ? { ok: true, value: text } : { ok: false, reason: 'must be base64 (e.g. the secret printed by `keymgr -t name` or `tsig-keygen`)' };
}
