/**
 * The responses the handler decides without the store: the early refusals and errors of DESIGN
 * rule 2, the record-less responses they are, and the size a reply may have on its transport.
 */
import type { Edns, Query, QueryHeader, Response } from './packet';
import { CLASS_IN, OPCODE_QUERY, Rcode, RRType } from './packet';
import { OUR_UDP_SIZE } from './wire';

/** The largest DNS message over TCP (RFC 1035 §4.2.2's two-octet length). */
export const TCP_MAX = 65535;
const NO_EDNS_UDP_MAX = 512;

/** RFC 6891 §6.2.5 / §7: below 512 means 512; we never send more than we advertise. */
export function sizeLimit(transport: 'udp' | 'tcp', edns: Edns | undefined): number {
  if (transport === 'tcp') return TCP_MAX;
  if (!edns) return NO_EDNS_UDP_MAX;
  return Math.max(NO_EDNS_UDP_MAX, Math.min(edns.udpSize, OUR_UDP_SIZE));
}

/** A response with no records: errors, refusals, BADVERS. */
export function bare(query: Query, rcode: number, withQuestion: boolean): Response {
  return {
    header: query.header,
    rcode,
    aa: false,
    questionBytes: withQuestion ? query.questionBytes : undefined,
    answer: [],
    authority: [],
    edns: query.edns ? { dnssecOk: query.edns.dnssecOk } : undefined,
  };
}

/** A response carrying only the header (no question, no OPT): for undecodable messages. */
export function bareHeader(header: QueryHeader): Response {
  return { header, rcode: Rcode.NOERROR, aa: false, questionBytes: undefined, answer: [], authority: [], edns: undefined };
}

/**
 * The answers decided before any read (DESIGN rule 2's steps before the answer): errors,
 * refusals, BADVERS; undefined when the question is answered. `dnssecOn`: the zone is signed.
 */
export function early(query: Query, dnssecOn: boolean): Response | undefined {
  const q = query.question;
  if (query.questionCount !== 1 || !q) return bare(query, Rcode.FORMERR, false);
  if (query.header.opcode !== OPCODE_QUERY) return bare(query, Rcode.NOTIMP, true);
  // Other classes (CH, HS, ANY): we hold no data there and serve no zone in them. REFUSED says
  // "not here, ask elsewhere" (as BIND does for classes it has no view for); NOTIMP would claim
  // the kind of query is unsupported, which is not the case for IN.
  if (q.class !== CLASS_IN) return bare(query, Rcode.REFUSED, true);
  // RFC 6891 §6.1.3: a version we do not implement gets BADVERS with our OPT (version 0).
  if (query.edns && query.edns.version !== 0) return bare(query, Rcode.BADVERS, true);
  // RFC 3225 §3: DO asks for the DNSSEC records; without it the answer is the unsigned one.
  const signing = dnssecOn && query.edns?.dnssecOk === true;
  // RFC 9824 §3.5: NXNAME only ever appears in a compact denial's NSEC; asking for it is FORMERR.
  if (signing && q.type === RRType.NXNAME) return bare(query, Rcode.FORMERR, true);
  // RRSIGs come with the RRsets they cover (RFC 4035 §3.1.1), not as a set of their own: a
  // NODATA for type RRSIG would carry an NSEC listing RRSIG, disproving itself, so validators
  // (delv) fail on it. REFUSED, as Knot answers RRSIG questions.
  if (signing && q.type === RRType.RRSIG) return bare(query, Rcode.REFUSED, true);
  return undefined;
}
