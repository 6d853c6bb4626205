/**
 * Our own authoritative answer, asked over the wire: before the ACME manager tells the CA to
 * validate, it checks that our DNS server (not the store, not a resolver: either could agree while
 * the server does not) answers the challenge value. One query goes straight to our first bound
 * UDP address; a server bound to TCP only is asked over TCP (RFC 7766 §8 framing), through
 * exchange.ts, the socket code it shares with the parent DS lookup (ds-query.ts).
 */
import { randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { exchangeTcp, exchangeUdp } from './exchange';
import { decodeTxtReply, encodeTxtQuery, type TxtReply } from '../wire';

/** Asks `name` TXT and resolves true when one record's joined strings equal `value`. */
export type SelfQuery = (name: string, value: string) => Promise<boolean>;

/** Per-query deadline: our server answers on loopback in well under a millisecond. */
const DEFAULT_TIMEOUT_MS = 2_000;

/** Where to send: a wildcard bind is reached on the loopback address of its family. */
export function selfTarget(address: AddressInfo): { host: string; port: number; family: 4 | 6 } {
  const v6 = address.family === 'IPv6' || address.address.includes(':');
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? (v6 ? '::1' : '127.0.0.1') : address.address;
  return { host, port: address.port, family: v6 ? 6 : 4 };
}

/** Builds the check over the addresses the DNS server bound. */
export function createSelfQuery(bound: { udp: readonly AddressInfo[]; tcp: readonly AddressInfo[] }, timeoutMs = DEFAULT_TIMEOUT_MS): SelfQuery {
  const udp = bound.udp[0];
  const tcp = bound.tcp[0];
  if (udp === undefined && tcp === undefined) throw new Error('the DNS server bound no address to ask');
  return async (name, value) => {
    const id = randomInt(0, 0x10000);
    const query = encodeTxtQuery(id, name);
    const raw =
      udp !== undefined
        ? await exchangeUdp(selfTarget(udp), query, timeoutMs, 'our DNS server')
        : await exchangeTcp(selfTarget(tcp as AddressInfo), query, timeoutMs, 'our DNS server');
    const reply = decodeTxtReply(raw);
    check(reply, id, name);
    return reply.txt.includes(value);
  };
}

/** A reply to another question (or a stale one) is not an answer. */
function check(reply: TxtReply, id: number, name: string): void {
  if (reply.id !== id) throw new Error(`reply id ${reply.id} does not match query id ${id}`);
  if (reply.questionName?.toLowerCase() !== name.toLowerCase().replace(/\.$/, '')) {
    throw new Error(`reply is for ${reply.questionName ?? 'no question'}, not ${name}`);
  }
  if (reply.rcode !== 0 && reply.rcode !== 3) throw new Error(`our DNS server answered rcode ${reply.rcode}`);
}
