/** The response codes of RFC 2136 (§2.2) beside RFC 1035's (packet.ts Rcode; its opcode is packet.ts OPCODE_UPDATE). */
import type { Rcode } from '../packet';

/** The RCODEs RFC 2136 §2.2 adds. */
export const UpdateRcode = {
  /** A name that ought not to exist does (§2.4.5). */
  YXDOMAIN: 6,
  /** An RRset that ought not to exist does (§2.4.3). */
  YXRRSET: 7,
  /** An RRset that ought to exist does not (§2.4.1, §2.4.2). */
  NXRRSET: 8,
  /** The server is not authoritative for the zone named (§3.1.1); also TSIG refusals (RFC 8945 §5.2). */
  NOTAUTH: 9,
  /** A name outside the zone named in the zone section (§3.2.5, §3.4.1.3). */
  NOTZONE: 10,
} as const;

/** What a failed prerequisite answers (RFC 2136 §3.2). */
export type PrerequisiteRcode = typeof UpdateRcode.YXDOMAIN | typeof UpdateRcode.YXRRSET | typeof UpdateRcode.NXRRSET | typeof Rcode.NXDOMAIN;
