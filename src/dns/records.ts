/**
 * One `general.records` line, read as acme-dns reads it: a zone-file line (RFC 1035 §5.1) with
 * origin `.` — names are absolute with or without the final dot — `owner [ttl] [class] type rdata`
 * (TTL and class in either order). Unlike acme-dns the line is not lower-cased as a whole: names
 * are, TXT and CAA data keep their case.
 */
import net from 'node:net';
import type { RData } from './packet';
import { parseConfigName } from './names';

/** A parsed static record; `owner` is lower-case without the final dot. */
export interface StaticRecord {
  readonly owner: string;
  readonly ttl: number;
  readonly data: RData;
}

/** Why a line does not parse (the zone builder adds the line). */
export class RecordSyntaxError extends Error {}

interface Token {
  /** As written, with quotes removed. */
  readonly raw: string;
  /** The bytes it stands for after RFC 1035 §5.1 escapes (`\X`, `\DDD`). */
  readonly bytes: Buffer;
  readonly quoted: boolean;
  readonly escaped: boolean;
}

function fail(message: string): never {
  throw new RecordSyntaxError(message);
}

/** Splits a line into tokens: quotes, escapes, `;` comments; parentheses are blanks. */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let raw = '';
  let bytes: number[] = [];
  let inToken = false;
  let quoted = false;
  let escaped = false;
  const end = (): void => {
    if (inToken) tokens.push({ raw, bytes: Buffer.from(bytes), quoted, escaped });
    raw = '';
    bytes = [];
    inToken = quoted = escaped = false;
  };
  const chars = Array.from(line);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '\\') {
      const digits = chars.slice(i + 1, i + 4).join('');
      if (/^\d{3}$/.test(digits)) {
        const value = Number(digits);
        if (value > 255) fail(`escape \\${digits} is above 255`);
        bytes.push(value);
        raw += '\\' + digits;
        i += 3;
      } else {
        const next = chars[i + 1];
        if (next === undefined) fail('line ends in a backslash');
        bytes.push(...Buffer.from(next));
        raw += '\\' + next;
        i += 1;
      }
      inToken = escaped = true;
    } else if (quoted) {
      if (c === '"') end();
      else {
        raw += c;
        bytes.push(...Buffer.from(c));
      }
    } else if (c === '"') {
      end();
      inToken = quoted = true;
    } else if (c === ';') {
      break;
    } else if (/\s/.test(c) || c === '(' || c === ')') {
      end();
    } else {
      raw += c;
      bytes.push(...Buffer.from(c));
      inToken = true;
    }
  }
  if (quoted) fail('unterminated quoted string');
  end();
  return tokens;
}

const TTL_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** A TTL: seconds, or units as BIND and miekg accept them (`1h30m`); RFC 2181 §8 caps it. */
function parseTtl(text: string): number | undefined {
  let total = 0;
  if (/^\d+$/.test(text)) total = Number(text);
  else if (/^(\d+[smhdw])+$/i.test(text)) {
    for (const m of text.toLowerCase().matchAll(/(\d+)([smhdw])/g)) {
      total += Number(m[1]) * (TTL_UNITS[m[2] as string] as number);
    }
  } else return undefined;
  return total <= 0x7fffffff ? total : fail(`TTL ${text} is above 2147483647`);
}

const CLASSES = /^(IN|CH|CS|HS|NONE|ANY|CLASS\d+)$/i;

function plain(token: Token | undefined, what: string): string {
  if (!token) fail(`missing ${what}`);
  if (token.quoted || token.escaped) fail(`${what} "${token.raw}" must not be quoted or escaped`);
  return token.raw;
}

function name(token: Token | undefined, what: string): string {
  const parsed = parseConfigName(plain(token, what));
  return 'error' in parsed ? fail(`${what}: ${parsed.error}`) : parsed.name;
}

function uint(token: Token | undefined, what: string, max: number): number {
  const text = plain(token, what);
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > max) fail(`${what} "${text}" must be an integer 0-${max}`);
  return value;
}

function rdata(type: string, args: Token[]): RData {
  const count = (n: number): void => {
    if (args.length !== n) fail(`${type} takes ${n} field(s), got ${args.length}`);
  };
  switch (type) {
    case 'A': {
      count(1);
      const address = plain(args[0], 'IPv4 address');
      return net.isIPv4(address) ? { type, address } : fail(`"${address}" is not an IPv4 address`);
    }
    case 'AAAA': {
      count(1);
      const address = plain(args[0], 'IPv6 address');
      const ok = net.isIPv6(address) && !address.includes('%');
      return ok ? { type, address } : fail(`"${address}" is not an IPv6 address`);
    }
    case 'NS':
    case 'CNAME':
      count(1);
      return { type, target: name(args[0], `${type} target`) };
    case 'MX':
      count(2);
      return { type, preference: uint(args[0], 'MX preference', 65535), exchange: name(args[1], 'MX exchange') };
    case 'SRV':
      count(4);
      return {
        type,
        priority: uint(args[0], 'SRV priority', 65535),
        weight: uint(args[1], 'SRV weight', 65535),
        port: uint(args[2], 'SRV port', 65535),
        target: name(args[3], 'SRV target'),
      };
    case 'TXT':
      if (args.length === 0) fail('TXT needs at least one string');
      // RFC 1035 §3.3: each <character-string> is at most 255 octets.
      for (const a of args) if (a.bytes.length > 255) fail(`TXT string longer than 255 octets: "${a.raw}"`);
      return { type, strings: args.map((a) => a.bytes) };
    case 'CAA': {
      count(3);
      const tag = plain(args[1], 'CAA tag');
      // RFC 8659 §4.1.1: the tag is 1-15 ASCII letters and digits.
      if (!/^[A-Za-z0-9]{1,15}$/.test(tag)) fail(`CAA tag "${tag}" must be 1-15 letters or digits`);
      return { type, flags: uint(args[0], 'CAA flags', 255), tag, value: (args[2] as Token).bytes.toString() };
    }
    case 'SOA':
      return fail('SOA is built from general.nsname and general.nsadmin; remove this line');
    default:
      return fail(`type ${type} is not supported (A, AAAA, NS, CNAME, MX, SRV, TXT, CAA are)`);
  }
}

/** Parses one line; throws RecordSyntaxError saying what is wrong. */
export function parseRecordLine(line: string, defaultTtl: number): StaticRecord {
  const tokens = tokenize(line);
  if (tokens.length === 0) fail('empty line');
  const ownerText = plain(tokens[0], 'owner name');
  if (ownerText === '@') fail('"@" would be the root with origin "."; write the full name');
  const owner = name(tokens[0], 'owner name');
  let i = 1;
  let ttl: number | undefined;
  let klass: string | undefined;
  for (; i < 3 && i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.quoted || t.escaped) break;
    const asTtl = ttl === undefined ? parseTtl(t.raw) : undefined;
    if (asTtl !== undefined) ttl = asTtl;
    else if (klass === undefined && CLASSES.test(t.raw)) klass = t.raw.toUpperCase();
    else break;
  }
  if (klass !== undefined && klass !== 'IN') fail(`class ${klass}: only IN is served`);
  const type = plain(tokens[i], 'type').toUpperCase();
  return { owner, ttl: ttl ?? defaultTtl, data: rdata(type, tokens.slice(i + 1)) };
}
