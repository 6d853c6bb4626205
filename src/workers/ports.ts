/**
 * The config's listen addresses with the ports the first DNS worker bound. With port 0 (tests),
 * the cluster primary keys its shared sockets by the address asked for: workers asking for port 0
 * share the first one's sockets while one of them holds them; once none does, a new worker must
 * ask for the real port, or it would get another random one.
 */
import type { AddressInfo } from 'node:net';
import { parseListenAddress } from '../dns/listen';

/** Each `listen` entry with its bound port: every entry binds UDP then TCP (or one of them) on one port. */
export function boundListen(listen: readonly string[], bound: { readonly udp: readonly AddressInfo[]; readonly tcp: readonly AddressInfo[] }): string[] {
  const first = bound.udp.length > 0 ? bound.udp : bound.tcp;
  return listen.map((text, i) => {
    const { host, port } = parseListenAddress(text);
    const real = port === 0 ? (first[i]?.port ?? 0) : port;
    return host.includes(':') ? `[${host}]:${real}` : `${host}:${real}`;
  });
}

/** True when some listen entry asks the kernel to pick the port. */
export function picksPorts(listen: readonly string[]): boolean {
  return listen.some((text) => parseListenAddress(text).port === 0);
}
