/**
 * Who may transfer the zone: the secondaries we notify and the ranges in `transfer.allow`
 * (RFC 5936 §4.2 leaves the policy to the operator; nobody by default).
 */
import { anyContains, parseCidrList, parseClientIp } from '../../core/cidr';

/** The sources a transfer is allowed from. */
export interface TransferAcl {
  /** True when a transfer from `source` (a socket peer as Node reports it) is allowed. */
  admits(source: string): boolean;
}

/** Builds the ACL from the secondaries' addresses and the allowed CIDRs (normalised by the config). */
export function createTransferAcl(secondaries: readonly { readonly host: string }[], allow: readonly string[]): TransferAcl {
  const hosts = secondaries.map((s) => (s.host.includes(':') ? `${s.host}/128` : `${s.host}/32`));
  const ranges = parseCidrList([...hosts, ...allow]);
  // `::ffff:192.0.2.1` (an IPv4 peer on a dual-stack socket) is matched as IPv4.
  return { admits: (source) => ranges.length > 0 && anyContains(ranges, parseClientIp(source.replace(/%.*$/, '')) ?? NO_ADDRESS) };
}

/** An address no range holds (parseClientIp failed): an unparsable peer is never admitted. */
const NO_ADDRESS = parseClientIp('0.0.0.0') as NonNullable<ReturnType<typeof parseClientIp>>;
