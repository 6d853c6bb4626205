/**
 * The response to an UPDATE (RFC 2136 §3.8): the request's ID and opcode, QR set, the RCODE, and
 * the zone section copied from the request (as BIND and Knot send it; nsupdate, knsupdate, lego's
 * miekg/dns and dnspython all accept it) or, when the request had no readable single zone, no
 * section at all. The prerequisite and update sections are never echoed. An OPT is echoed when the
 * request had one (RFC 6891 §7). The TSIG, when due, is appended by the caller's signer.
 */
import type { QueryHeader } from '../packet';
import { encodeResponse } from '../wire';

/** TCP's limit; UPDATE responses are a header, one zone entry and at most an OPT and a TSIG. */
const MAX_RESPONSE = 65535;

/** What the response carries from the request. */
export interface UpdateEcho {
  readonly header: QueryHeader;
  /** The zone section's bytes (one entry), or undefined: ZOCOUNT 0. */
  readonly zoneBytes: Buffer | undefined;
  /** The request had an OPT record. */
  readonly edns: boolean;
}

/** The response bytes, unsigned. */
export function encodeUpdateResponse(echo: UpdateEcho, rcode: number): Buffer {
  return encodeResponse(
    {
      header: echo.header,
      rcode,
      aa: false,
      questionBytes: echo.zoneBytes,
      answer: [],
      authority: [],
      edns: echo.edns || rcode > 15 ? { dnssecOk: false } : undefined,
    },
    MAX_RESPONSE,
  );
}
