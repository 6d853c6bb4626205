/**
 * IP addresses and CIDR allow-lists with Go's parsing rules (acme-dns validates `allowfrom` with
 * `net.ParseCIDR` and matches with `IPNet.Contains`), matched through ipaddr.js.
 */
import ipaddr from 'ipaddr.js';

/** A parsed IPv4 or IPv6 address. */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** A parsed CIDR range; `text` is the entry as written. */
export interface Cidr {
  readonly network: IpAddress;
  readonly prefix: number;
  readonly text: string;
}

const IPV4 = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;

/** Dotted-quad IPv4 as Go's netip: exactly four decimal fields, no leading zeros, each <= 255. */
function parseV4Bytes(s: string): number[] | undefined {
  const m = IPV4.exec(s);
  if (!m) return undefined;
  const bytes = m.slice(1, 5).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

/**
 * IPv6 text (RFC 4291 §2.2) as Go's netip.parseIPv6: groups of 1-4 hex digits, one `::` that
 * stands for at least one zero group, an embedded dotted quad only as the last 32 bits; zones
 * (`%eth0`) are refused because ParseCIDR refuses them.
 */
function parseV6Bytes(input: string): number[] | undefined {
  if (input.includes('%')) return undefined;
  const ip: number[] = new Array<number>(16).fill(0);
  let s = input;
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return ip;
  }
  let i = 0;
  while (i < 16) {
    const group = /^[0-9A-Fa-f]*/.exec(s)?.[0] ?? '';
    if (group.length === 0 || group.length > 4) return undefined;
    if (s[group.length] === '.') {
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return undefined;
      const v4 = parseV4Bytes(s);
      if (!v4) return undefined;
      ip.splice(i, 4, ...v4);
      s = '';
      i += 4;
      break;
    }
    const value = parseInt(group, 16);
    ip[i] = value >> 8;
    ip[i + 1] = value & 0xff;
    i += 2;
    s = s.slice(group.length);
    if (s === '') break;
    if (s[0] !== ':' || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    const tail = ip.slice(ellipsis, i);
    ip.fill(0, ellipsis);
    ip.splice(ellipsis + n, tail.length, ...tail);
  } else if (ellipsis >= 0) {
    return undefined;
  }
  return ip;
}

/** Go's netip.ParseAddr: the first `.` or `:` decides the family. Mapped IPv6 stays IPv6. */
export function parseIpStrict(s: string): IpAddress | undefined {
  const first = /[.:%]/.exec(s)?.[0];
  const bytes = first === '.' ? parseV4Bytes(s) : first === ':' ? parseV6Bytes(s) : undefined;
  return bytes ? ipaddr.fromByteArray(bytes) : undefined;
}

/**
 * Go's net.ParseCIDR: `<address>/<decimal prefix>` with the prefix at most 32 or 128 (leading
 * zeros in the prefix are allowed, as Go's dtoi allows them). Bare addresses are not CIDRs.
 */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpStrict(text.slice(0, slash));
  const mask = text.slice(slash + 1);
  if (!address || !/^[0-9]{1,7}$/.test(mask)) return undefined;
  const prefix = Number(mask);
  if (prefix > (address.kind() === 'ipv4' ? 32 : 128)) return undefined;
  // Go's IPNet.Contains treats a v4-mapped network whose mask keeps the ::ffff: part as IPv4.
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() && prefix >= 96) {
    return { network: address.toIPv4Address(), prefix: prefix - 96, text };
  }
  return { network: address, prefix, text };
}

/**
 * Parses a client address (socket peer or forwarded-header entry); IPv4-mapped IPv6
 * (`::ffff:10.0.0.1`, what a dual-stack socket reports for IPv4 peers) becomes IPv4, as Go's
 * `IP.To4` does before `IPNet.Contains`.
 */
export function parseClientIp(s: string): IpAddress | undefined {
  const address = parseIpStrict(s);
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()) {
    return address.toIPv4Address();
  }
  return address;
}

/** True when the address lies in the range (an IPv4 address never matches an IPv6 range). */
export function cidrContains(range: Cidr, address: IpAddress): boolean {
  if (range.network.kind() !== address.kind()) return false;
  return address.match(range.network, range.prefix);
}

/** True when any range holds the address. */
export function anyContains(ranges: readonly Cidr[], address: IpAddress): boolean {
  return ranges.some((r) => cidrContains(r, address));
}

/** The entries of a list that parse, in order; invalid ones are dropped (Go's ValidEntries). */
export function parseCidrList(entries: readonly string[]): Cidr[] {
  const out: Cidr[] = [];
  for (const e of entries) {
    const c = parseCidr(e);
    if (c) out.push(c);
  }
  return out;
}

/** This machine only: the default of the lists that admit local callers (trusted proxies, metrics). */
export const LOOPBACK_RANGES: readonly string[] = ['127.0.0.0/8', '::1/128'];

/** Bits of an IPv6 address counted as one client: the smallest block a site or host gets (RFC 6177). */
const IPV6_CLIENT_PREFIX = 64;

/**
 * The group a client address is counted in by every per-address limit (API and DNS over TCP): an
 * IPv4 address (an IPv4-mapped IPv6 one as IPv4), or the /64 of an IPv6 address, since one host
 * can use any address in its /64 (SLAAC, privacy addresses). Without an address, the text.
 */
export function addressGroup(ip: IpAddress | undefined, text: string): string {
  if (ip === undefined) return text;
  const v4 = ip instanceof ipaddr.IPv6 && ip.isIPv4MappedAddress() ? ip.toIPv4Address() : ip;
  if (v4 instanceof ipaddr.IPv4) return v4.toString();
  const bytes = v4.toByteArray().slice(0, IPV6_CLIENT_PREFIX / 8);
  const network = ipaddr.fromByteArray([...bytes, ...new Array<number>(16 - bytes.length).fill(0)]);
  return `${network.toString()}/${IPV6_CLIENT_PREFIX}`;
}
