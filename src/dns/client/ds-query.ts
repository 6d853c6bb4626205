/**
 * The parent's DS for our zone, asked of a resolver the operator names (`acmedns dnssec status`
 * and `rollover --resolver HOST:PORT`). It opens a socket of its own because the question is what
 * the rest of the world sees: the rollover may only move on when the parent's DS RRset, as a
 * resolver serves it, holds (or no longer holds) a key's DS; node:dns cannot return DS records nor
 * their TTL. A recursive query (RD=1) by UDP, asked again over TCP when the reply is truncated
 * (RFC 7766 §5), to the one address given (loopback or any other the operator names; never the
 * system's resolvers implicitly).
 */
import { randomInt } from 'node:crypto';
import type { ParentDs } from '../dnssec/parent-ds';
import { exchangeTcp, exchangeUdp, type ExchangeTarget } from './exchange';
import { Rcode } from '../packet';
import { decodeDsReply, encodeDsQuery, type DsReply } from '../wire-ds';

/** Per-attempt deadline: a resolver asking the parent's servers afresh may take a few seconds. */
const DEFAULT_TIMEOUT_MS = 5_000;

/** Parses `HOST:PORT`, `[IPv6]:PORT` or a bare IP address (port 53); undefined when it is neither. */
export function parseResolverAddress(text: string): ExchangeTarget | undefined {
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(text);
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(text);
  const bare6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$/.test(text) ? text : undefined;
  const [host, portText] = v6 ? [v6[1], v6[2]] : v4 ? [v4[1], v4[2]] : [bare6, undefined];
  if (host === undefined) return undefined;
  const port = portText === undefined ? 53 : Number(portText);
  if (port < 1 || port > 65535) return undefined;
  if (v4 && host.split('.').some((o) => Number(o) > 255)) return undefined;
  return { host, port };
}

/** One reply checked against the question: the right id and question, an answer not a failure. */
function checked(reply: DsReply, id: number, zone: string, who: string): DsReply {
  if (reply.id !== id || !reply.answersQuestion) throw new Error(`${who} answered another question than ${zone} DS`);
  // NXDOMAIN: the parent says our zone's name does not exist, so it holds no DS either.
  if (reply.rcode !== Rcode.NOERROR && reply.rcode !== Rcode.NXDOMAIN) throw new Error(`${who} answered ${zone} DS with rcode ${reply.rcode}`);
  return reply;
}

/** Asks `resolver` for `<zone> DS`; throws when it cannot be reached or does not answer the question. */
export async function queryParentDs(zone: string, resolver: ExchangeTarget, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ParentDs> {
  const who = `the resolver ${resolver.host}:${resolver.port}`;
  const id = randomInt(0, 0x10000);
  const query = encodeDsQuery(id, zone);
  let reply = checked(decodeDsReply(await exchangeUdp(resolver, query, timeoutMs, 'the resolver'), zone), id, zone, who);
  if (reply.truncated) reply = checked(decodeDsReply(await exchangeTcp(resolver, query, timeoutMs, 'the resolver'), zone), id, zone, who);
  return { digests: reply.ds, ttl: reply.ttl };
}
