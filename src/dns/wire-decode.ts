/**
 * The strict query decoder. We do not use dns-packet's `decode` for queries because, on malformed
 * input (pinned in test/dns-malformed.test.ts), it:
 *  - joins labels with '.', so a label containing a dot reads as two labels, and decodes labels as
 *    UTF-8, so non-UTF-8 bytes are lost (we could neither match nor echo them faithfully);
 *  - accepts truncated RDATA (a 2-byte A record decodes as "1.2.undefined.undefined"), EDNS options
 *    that run past the OPT RDLENGTH, an OPT whose owner is not the root, trailing garbage, and a
 *    compression pointer into the header.
 * Our walker (wire-read.ts, shared with the TSIG and UPDATE readers) checks every bound itself and
 * throws WireFormatError (-> FORMERR) on any of them; this file adds the rules of a query's records:
 * OPT (RFC 6891 §6.1.1) and TSIG (RFC 8945 §5.2).
 */
import type { Edns, Query, QueryHeader, Question } from './packet';
import { RRType } from './packet';
import type { TsigRecord } from './tsig';
import { parseTsigRecord, TYPE_TSIG } from './tsig';
import type { NameRead } from './wire-read';
import { HEADER_BYTES, readMessage, readName, Section, WireFormatError } from './wire-read';

/** What a message turned out to be. */
export type DecodeResult =
  | { readonly kind: 'drop'; readonly reason: string }
  | { readonly kind: 'formerr'; readonly header: QueryHeader; readonly reason: string }
  | { readonly kind: 'query'; readonly query: Query };

/** Parses an OPT record's fields and checks its options fill the RDATA exactly. */
export function readOpt(msg: Buffer, owner: NameRead, rdEnd: number): Edns {
  if (owner.labels.length !== 0) throw new WireFormatError('OPT owner is not the root');
  // After the owner: TYPE, CLASS (= UDP payload size), TTL (= ext. RCODE, VERSION, flags), RDLEN.
  const at = owner.end;
  const ttl = msg.readUInt32BE(at + 4);
  for (let off = at + 10; off < rdEnd; ) {
    if (off + 4 > rdEnd) throw new WireFormatError('EDNS option header truncated');
    const optLen = msg.readUInt16BE(off + 2);
    off += 4 + optLen;
    if (off > rdEnd) throw new WireFormatError('EDNS option runs past the OPT RDATA');
  }
  return {
    udpSize: msg.readUInt16BE(at + 2),
    version: (ttl >>> 16) & 0xff,
    dnssecOk: (ttl & 0x8000) !== 0,
  };
}

/** Decodes a query: drop (no header or a response), FORMERR, or the query. */
export function decodeQuery(msg: Buffer): DecodeResult {
  if (msg.length < HEADER_BYTES) return { kind: 'drop', reason: 'shorter than a header' };
  const flags = msg.readUInt16BE(2);
  // A response is never answered (RFC 1035 §4.1.1 QR); answering could start a loop.
  if (flags & 0x8000) return { kind: 'drop', reason: 'QR=1' };
  const header: QueryHeader = {
    id: msg.readUInt16BE(0),
    opcode: (flags >> 11) & 0xf,
    rd: (flags & 0x0100) !== 0,
    cd: (flags & 0x0010) !== 0,
  };
  try {
    return { kind: 'query', query: readBody(msg, header) };
  } catch (err) {
    if (err instanceof WireFormatError) return { kind: 'formerr', header, reason: err.message };
    throw err;
  }
}

function readBody(msg: Buffer, header: QueryHeader): Query {
  const { questions, questionEnd, records } = readMessage(msg);
  const first = questions[0];
  // The first question is echoed byte for byte at offset 12, so it must not point anywhere.
  if (first?.name.compressed) throw new WireFormatError('compressed question name');
  const question: Question | undefined = first && { labels: first.name.labels, type: first.type, class: first.klass };
  let edns: Edns | undefined;
  let tsig: TsigRecord | undefined;
  let authoritySoaSerial: number | undefined;
  records.forEach((rr, i) => {
    // RFC 1995 §3: an IXFR query carries the client's SOA in the authority section.
    if (rr.type === RRType.SOA && rr.section === Section.AUTHORITY) authoritySoaSerial = readSoaSerial(msg, rr.rdStart, rr.rdEnd);
    if (rr.type === RRType.OPT) {
      // RFC 6891 §6.1.1: OPT only in the additional section, and at most one.
      if (rr.section !== Section.ADDITIONAL) throw new WireFormatError('OPT outside the additional section');
      if (edns) throw new WireFormatError('more than one OPT');
      edns = readOpt(msg, rr.owner, rr.rdEnd);
    } else if (rr.type === TYPE_TSIG) {
      // RFC 8945 §5.2: one TSIG, the last record of the additional section, else FORMERR.
      if (rr.section !== Section.ADDITIONAL || i !== records.length - 1) throw new WireFormatError('TSIG not the last record');
      tsig = parseTsigRecord(msg, rr.start, rr.rdEnd);
    }
  });
  return {
    header,
    questionCount: questions.length,
    question: questions.length === 1 ? question : undefined,
    questionBytes: questions.length === 1 ? Buffer.from(msg.subarray(HEADER_BYTES, questionEnd)) : undefined,
    edns,
    tsig,
    ...(authoritySoaSerial === undefined ? {} : { authoritySoaSerial }),
  };
}

/** The SERIAL of a SOA RDATA (RFC 1035 §3.3.13: MNAME, RNAME, then five 32-bit fields), checked to fill it exactly. */
function readSoaSerial(msg: Buffer, start: number, rdEnd: number): number {
  const rname = readName(msg, readName(msg, start).end);
  if (rname.end + 20 !== rdEnd) throw new WireFormatError('SOA RDATA of the wrong length');
  return msg.readUInt32BE(rname.end);
}
