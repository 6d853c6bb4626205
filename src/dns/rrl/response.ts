/**
 * What RRL needs to know about a response, read from the bytes our encoder (wire.ts) produced:
 * its kind and name for grouping, and its slipped form. Only the fixed header (RFC 1035 §4.1.1),
 * the question's name and our OPT record are read; no codec is needed for our own output.
 */

const HEADER = 12;
const QUESTION_TAIL = 4; // QTYPE + QCLASS
const OPT_BYTES = 11; // our OPT: root owner, type, class, TTL, RDLENGTH 0 (wire.ts encodeOpt)
const OPT_TYPE = 41;
const RCODE_NOERROR = 0;
const RCODE_NXDOMAIN = 3;
const FLAG_AA = 0x0400;
const FLAG_TC = 0x0200;

/**
 * The response kinds that are limited apart (Vixie/Schryver; BIND's and Knot's classes): an
 * answer or NODATA per name; every NXDOMAIN of the zone together (random names must not each get
 * a fresh allowance); every error together (REFUSED, FORMERR, SERVFAIL, NOTIMP, BADVERS).
 */
export type ResponseKind = 'answer' | 'nxdomain' | 'error';

/** A response's group within one source prefix: its kind and, for answers, the name (lower-case). */
export interface ResponseGroup {
  readonly kind: ResponseKind;
  /** The question's name in wire form, lower-cased, as a latin1 string; '' for nxdomain and error. */
  readonly name: string;
}

/** The end of the question's name (labels only: a question is never compressed), or -1. */
function nameEnd(msg: Buffer): number {
  let at = HEADER;
  while (at < msg.length) {
    const len = msg[at] ?? 0;
    if (len === 0) return at + 1;
    if (len > 63) return -1;
    at += len + 1;
  }
  return -1;
}

/** Classifies a response we encoded. */
export function classify(msg: Buffer): ResponseGroup {
  if (msg.length < HEADER) return { kind: 'error', name: '' };
  const flags = msg.readUInt16BE(2);
  const rcode = flags & 0xf;
  if (rcode === RCODE_NXDOMAIN) return { kind: 'nxdomain', name: '' };
  // Our answers and NODATA are authoritative; a NOERROR without AA is BADVERS (its upper RCODE
  // bits sit in the OPT, RFC 6891 §6.1.3), an error like the others.
  if (rcode !== RCODE_NOERROR || (flags & FLAG_AA) === 0 || msg.readUInt16BE(4) !== 1) return { kind: 'error', name: '' };
  const end = nameEnd(msg);
  if (end < 0) return { kind: 'error', name: '' };
  // Length octets are at most 63, below 'A', so lower-casing touches only the labels. (Latin-1
  // letters above 0x7f fold too: two such names share a group, which only limits sooner.)
  return { kind: 'answer', name: msg.toString('latin1', HEADER, end).toLowerCase() };
}

/**
 * The slipped form of a response: the header with TC=1, the question and our OPT, no records
 * (the shape of an over-size answer, RFC 2181 §9; RFC 6891 §6.1.1 wants the OPT kept), so a real
 * resolver asks again over TCP, where the source address is proven and nothing is limited.
 */
export function slipped(msg: Buffer): Buffer {
  const qdcount = msg.length >= HEADER ? msg.readUInt16BE(4) : 0;
  const end = qdcount === 1 ? nameEnd(msg) : -1;
  const questionEnd = end < 0 || end + QUESTION_TAIL > msg.length ? HEADER : end + QUESTION_TAIL;
  const tail = msg.subarray(msg.length - OPT_BYTES);
  const hasOpt =
    msg.length >= questionEnd + OPT_BYTES && msg.readUInt16BE(10) === 1 && tail[0] === 0 && tail.readUInt16BE(1) === OPT_TYPE;
  const out = Buffer.concat([msg.subarray(0, Math.min(questionEnd, msg.length)), hasOpt ? tail : Buffer.alloc(0)]);
  if (out.length < HEADER) return out;
  out.writeUInt16BE(out.readUInt16BE(2) | FLAG_TC, 2);
  out.writeUInt16BE(questionEnd > HEADER ? 1 : 0, 4);
  out.writeUInt16BE(0, 6);
  out.writeUInt16BE(0, 8);
  out.writeUInt16BE(hasOpt ? 1 : 0, 10);
  return out;
}
