/**
 * A source address -> the prefix RRL accounts it under (BIND's ipv4-prefix-length and
 * ipv6-prefix-length): spoofed floods at a victim's network land in one group, however the
 * attacker varies the low bits. IPv4-mapped IPv6 (a dual-stack socket's IPv4 peers) counts as IPv4.
 */
import { parseClientIp } from '../../core/cidr';

/** Dotted quad, alone or IPv4-mapped (`::ffff:a.b.c.d`, what a dual-stack socket reports). */
const IPV4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/i;

function v4Key(bytes: readonly number[], bits: number): string {
  const n = (((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return `4/${((n & mask) >>> 0).toString(16)}`;
}

function v6Key(bytes: readonly number[], bits: number): string {
  let out = '6/';
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    const byte = (bytes[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
    out += byte.toString(16).padStart(2, '0');
  }
  return out;
}

/** The accounting key of `address`'s prefix, or undefined when it is not an IP address. */
export function sourcePrefix(address: string, ipv4Bits: number, ipv6Bits: number): string | undefined {
  // The common cases (IPv4 peers of a udp4 or a dual-stack socket) without a general parser.
  const m = IPV4.exec(address);
  if (m) {
    const bytes = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    return bytes.every((b) => b <= 255) ? v4Key(bytes, ipv4Bits) : undefined;
  }
  // A link-local peer carries its interface (`fe80::1%eth0`); the interface is no part of the prefix.
  const ip = parseClientIp(address.split('%')[0] ?? '');
  if (!ip) return undefined;
  return ip.kind() === 'ipv4' ? v4Key(ip.toByteArray(), ipv4Bits) : v6Key(ip.toByteArray(), ipv6Bits);
}
