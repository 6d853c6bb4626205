/**
 * Pure parsers for the config's value formats (durations, addresses, CIDRs, names). Each returns
 * the normalised value or the reason it is not allowed; the schema turns reasons into messages.
 */
import { isIP } from 'node:net';

/** A parsed value, or the reason (completing "config: <key> ...") it was refused. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const no = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** What a duration may look like, for messages. */
export const DURATION_FORMS = 'a duration: seconds as an integer, or a string like "90s", "10m", "168h", "7d"';

/**
 * Seconds from an integer or a string of number+unit parts (`"1h30m"`, `"7d"`, `"60"`).
 * Units s/m/h/d only: sub-second precision has no use here and `ms` vs `m` invites typos.
 */
export function parseDuration(input: number | string): Parsed<number> {
  if (typeof input === 'number') {
    return Number.isSafeInteger(input) && input >= 0 ? ok(input) : no(`must be ${DURATION_FORMS} (got ${input})`);
  }
  const text = input.trim().toLowerCase();
  if (/^\d+$/.test(text)) return ok(Number(text));
  if (!/^(\d+[smhd])+$/.test(text)) return no(`must be ${DURATION_FORMS} (got ${JSON.stringify(input)})`);
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([smhd])/g)) {
    seconds += Number(amount) * (UNIT_SECONDS[unit ?? 's'] ?? 1);
  }
  return Number.isSafeInteger(seconds) ? ok(seconds) : no(`is too long (got ${JSON.stringify(input)})`);
}

/** A TCP/UDP port from an integer or a decimal string; 0 lets the OS pick (tests). */
export function parsePort(input: number | string): Parsed<number> {
  const n = typeof input === 'number' ? input : /^\d{1,5}$/.test(input.trim()) ? Number(input.trim()) : NaN;
  if (Number.isInteger(n) && n >= 0 && n <= 65535) return ok(n);
  return no(`must be a port number 0-65535, as a string or an integer (got ${JSON.stringify(input)})`);
}

/**
 * A DNS listen address: `host:port` with an IPv4 host, `[v6]:port`, or `:port` for every
 * interface (Go's net.Listen syntax, which acme-dns's `general.listen` uses). IP literals only:
 * binding must never depend on a name lookup.
 */
export function parseListen(input: string): Parsed<string> {
  const text = input.trim();
  const bad = no<string>(`${JSON.stringify(input)} is not host:port (e.g. "127.0.0.1:53", "[::1]:53" or ":53")`);
  const v6 = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text);
  const v4 = /^([^:[\]]*):(\d{1,5})$/.exec(text);
  const match = v6 ?? v4;
  if (!match) return bad;
  const [, host = '', portText = ''] = match;
  if (v6 ? isIP(host) !== 6 : host !== '' && isIP(host) !== 4) return bad;
  if (Number(portText) > 65535) return bad;
  return ok(v6 ? `[${host}]:${Number(portText)}` : `${host}:${Number(portText)}`);
}

/** The API bind address: an IP literal, IPv6 optionally bracketed (acme-dns #63), or empty for all. */
export function parseBindIp(input: string): Parsed<string> {
  const text = input.trim();
  const bracketed = /^\[(.*)\]$/.exec(text);
  const host = bracketed ? (bracketed[1] ?? '') : text;
  if (host === '' && !bracketed) return ok('');
  if (bracketed ? isIP(host) === 6 : isIP(host) !== 0) return ok(host);
  return no(`${JSON.stringify(input)} is not an IP address (e.g. "0.0.0.0", "127.0.0.1", "[::1]", or "" for all)`);
}

/** A CIDR (`10.0.0.0/8`, `::1/128`); a bare address becomes a host route (`/32`, `/128`). */
export function parseCidr(input: string): Parsed<string> {
  const text = input.trim();
  const [address = '', prefix, ...rest] = text.split('/');
  // A zone (`fe80::1%eth0`) names an interface, not a range; Go's net.ParseCIDR refuses it too.
  const family = address.includes('%') ? 0 : isIP(address);
  const max = family === 4 ? 32 : 128;
  if (family === 0 || rest.length > 0) return no(`${JSON.stringify(input)} is not a CIDR (e.g. "10.0.0.0/8", "::1/128")`);
  if (prefix === undefined) return ok(`${address}/${max}`);
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) {
    return no(`${JSON.stringify(input)} is not a CIDR (prefix length must be 0-${max})`);
  }
  return ok(`${address}/${Number(prefix)}`);
}

/**
 * A domain name, lower-cased without the trailing dot (acme-dns lower-cases the zone, the SOA
 * names and the questions alike). Labels of 1-63 octets, 253 in all (RFC 1035 §2.3.4); letters,
 * digits, `-` and `_` (RFC 2181 §11 allows more, but a zone apex or NS host never needs it).
 */
export function parseDomain(input: string): Parsed<string> {
  const name = input.trim().toLowerCase().replace(/\.$/, '');
  if (name === '') return ok('');
  const labels = name.split('.');
  const valid = name.length <= 253 && labels.every((l) => /^[a-z0-9_-]{1,63}$/.test(l));
  return valid ? ok(name) : no(`${JSON.stringify(input)} is not a domain name`);
}

/** An absolute http(s) URL, for the ACME directory. */
export function parseHttpUrl(input: string): Parsed<string> {
  const text = input.trim();
  try {
    const url = new URL(text);
    if (url.protocol === 'https:' || url.protocol === 'http:') return ok(text);
  } catch {
    // fall through to the message
  }
  return no(`${JSON.stringify(input)} is not an http(s) URL`);
}

/** An HTTP header field name (RFC 9110 §5.1: a token). */
export function parseHeaderName(input: string): Parsed<string> {
  const text = input.trim();
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(text)
    ? ok(text)
    : no(`${JSON.stringify(input)} is not an HTTP header name`);
}
