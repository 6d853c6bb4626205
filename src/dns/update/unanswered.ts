/**
 * The SERVFAIL for an UPDATE that could not be answered where it was received (a DNS worker whose
 * primary did not reply): the request's ID and opcode, QR set, no sections (RFC 2136 §3.8 allows
 * ZOCOUNT 0 when the zone is not echoed). Unsigned: the worker holds no verified key for it, and
 * RFC 8945 §5.3.2 lets an error without a verified request go unsigned.
 */
import { Rcode } from '../packet';
import { readHeader } from './decode';
import { encodeUpdateResponse } from './response';

/** SERVFAIL for `msg`, or null when it is not a request one may answer (short, or QR set). */
export function updateServfail(msg: Buffer): Buffer | null {
  const header = readHeader(msg);
  return header === undefined ? null : encodeUpdateResponse({ header, zoneBytes: undefined, edns: false }, Rcode.SERVFAIL);
}
