/**
 * Whether an answer validates, asked of two validators that share no code: the topology's
 * unbound (AD flag, RFC 4035 §3.2.3; SERVFAIL when bogus) and delv (BIND's validator, anchored
 * on the parent's DS). A test of a signed zone asks both for each name it checks.
 */
import { delv, type DelvRun } from '../support/delv';
import { rcodeOf, tcpQuery, udpQuery, type Reply, type Target } from '../support/dns-client';
import type { Topology } from './index';

/** The record types the DNSSEC tests ask for, by name (delv takes names). */
export type AskedType = 'A' | 'NS' | 'CNAME' | 'SOA' | 'TXT' | 'AAAA' | 'DS' | 'DNSKEY' | 'NSEC';

/** What the validating resolver said. */
export interface ResolverAnswer {
  readonly reply: Reply;
  readonly rcode: string;
  /** The AD bit: unbound validated every RRset of the answer (RFC 4035 §3.2.3). */
  readonly ad: boolean;
}

/** One recursive query with DO (so the resolver reports AD, RFC 6840 §5.7); over TCP when truncated. */
export async function askResolver(resolver: Target, name: string, type: AskedType): Promise<ResolverAnswer> {
  const spec = { name, type, rd: true, id: Math.floor(Math.random() * 0x10000), edns: { udpSize: 1232, dnssecOk: true } };
  let reply = await udpQuery(resolver, spec);
  if (reply.tc) reply = await tcpQuery(resolver, spec);
  return { reply, rcode: rcodeOf(reply), ad: (reply.raw.readUInt16BE(2) & 0x0020) !== 0 };
}

/** Both validators' verdicts on one name and type. */
export interface Verdict {
  readonly resolver: ResolverAnswer;
  readonly delv: DelvRun;
}

/** Asks unbound and delv (through unbound, anchored on the parent's DS) about `name` `type`. */
export async function verdictOf(topo: Topology, name: string, type: AskedType): Promise<Verdict> {
  if (!topo.trustAnchor) throw new Error('the topology was started without dnssec: nothing validates');
  const resolver = { address: topo.addresses.unbound, port: 53 };
  const [answer, run] = await Promise.all([askResolver(resolver, name, type), delv(resolver, topo.trustAnchor, name, type)]);
  return { resolver: answer, delv: run };
}

/**
 * The answer for `name` `type` through unbound, after checking that it came with AD and that delv
 * says "fully validated" (a negative one too); throws naming what failed, with both outputs and
 * unbound's reasons.
 */
export async function secureAnswer(topo: Topology, name: string, type: AskedType): Promise<ResolverAnswer> {
  const v = await verdictOf(topo, name, type);
  if (v.resolver.ad && v.delv.fullyValidated && v.resolver.rcode !== 'SERVFAIL') return v.resolver;
  const reasons = topo.unbound.process.output().split('\n').filter((l) => /validation failure|bogus/i.test(l)).slice(-5);
  throw new Error(
    `${name} ${type} did not validate: unbound ${v.resolver.rcode} AD=${v.resolver.ad}, delv ${v.delv.fullyValidated ? 'fully validated' : 'NOT validated'}\n` +
      `--- delv ---\n${v.delv.stdout}${v.delv.stderr}\n--- unbound ---\n${reasons.join('\n')}`,
  );
}
