/**
 * The strict query decoder. We do not use dns-packet's `decode` for queries because, on malformed
 * input (pinned in test/dns-malformed.test.ts), it:
 *  - joins labels with '.', so a label containing a dot reads as two labels, and decodes labels as
 *    UTF-8, so non-UTF-8 bytes are lost (we could neither match nor echo them faithfully);
 *  - accepts truncated RDATA (a 2-byte A record decodes as "1.2.undefined.undefined"), EDNS options
 *    that run past the OPT RDLENGTH, an OPT whose owner is not the root, trailing garbage, and a
 *    compression pointer into the header.
 * This walker checks every bound itself and throws FormatError (-> FORMERR) on any of them.
 * Like dns-packet it only follows pointers to strictly earlier data, so pointer loops terminate.
 */
import type { Edns, Query, QueryHeader, Question } from './packet';
import { RRType } from './packet';

/** What a message turned out to be. */
export type DecodeResult =
  | { readonly kind: 'drop'; readonly reason: string }
  | { readonly kind: 'formerr'; readonly header: QueryHeader; readonly reason: string }
  | { readonly kind: 'query'; readonly query: Query };

/** A structural error in a message whose header was readable. */
class FormatError extends Error {}

const HEADER_BYTES = 12;
const MAX_NAME_WIRE = 255;

interface NameRead {
  readonly labels: string[];
  /** Offset just after the name where it was encountered. */
  readonly end: number;
  readonly compressed: boolean;
}

/** Reads a possibly compressed name (RFC 1035 §4.1.4) with every bound checked. */
function readName(msg: Buffer, start: number): NameRead {
  const labels: string[] = [];
  let offset = start;
  let segmentStart = start;
  let end = -1;
  let wire = 1;
  for (;;) {
    if (offset >= msg.length) throw new FormatError('name runs past the end');
    const len = msg[offset] as number;
    if (len === 0) {
      if (end < 0) end = offset + 1;
      return { labels, end, compressed: segmentStart !== start };
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (offset + 1 >= msg.length) throw new FormatError('pointer runs past the end');
      const target = ((len & 0x3f) << 8) | (msg[offset + 1] as number);
      // Only strictly earlier targets, each before the last one: a loop is impossible.
      if (target >= segmentStart || target < HEADER_BYTES) throw new FormatError('bad pointer');
      if (end < 0) end = offset + 2;
      offset = target;
      segmentStart = target;
      continue;
    }
    // 0x40 and 0x80 are the obsolete extended label types (RFC 6891 §5): a label of 64+.
    if (kind !== 0) throw new FormatError('label longer than 63');
    if (offset + 1 + len > msg.length) throw new FormatError('label runs past the end');
    wire += len + 1;
    if (wire > MAX_NAME_WIRE) throw new FormatError('name longer than 255 octets');
    labels.push(msg.toString('latin1', offset + 1, offset + 1 + len));
    offset += 1 + len;
  }
}

function u16(msg: Buffer, offset: number): number {
  if (offset + 2 > msg.length) throw new FormatError('message truncated');
  return msg.readUInt16BE(offset);
}

/** Parses an OPT record's fields and checks its options fill the RDATA exactly. */
function readOpt(msg: Buffer, owner: NameRead, rdEnd: number): Edns {
  if (owner.labels.length !== 0) throw new FormatError('OPT owner is not the root');
  // After the owner: TYPE, CLASS (= UDP payload size), TTL (= ext. RCODE, VERSION, flags), RDLEN.
  const at = owner.end;
  const ttl = msg.readUInt32BE(at + 4);
  for (let off = at + 10; off < rdEnd; ) {
    if (off + 4 > rdEnd) throw new FormatError('EDNS option header truncated');
    const optLen = msg.readUInt16BE(off + 2);
    off += 4 + optLen;
    if (off > rdEnd) throw new FormatError('EDNS option runs past the OPT RDATA');
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
    if (err instanceof FormatError) return { kind: 'formerr', header, reason: err.message };
    throw err;
  }
}

function readBody(msg: Buffer, header: QueryHeader): Query {
  const qdcount = msg.readUInt16BE(4);
  const rrCounts = [msg.readUInt16BE(6), msg.readUInt16BE(8), msg.readUInt16BE(10)];
  let offset = HEADER_BYTES;
  let question: Question | undefined;
  for (let i = 0; i < qdcount; i++) {
    const name = readName(msg, offset);
    const type = u16(msg, name.end);
    const klass = u16(msg, name.end + 2);
    // The first question is echoed byte for byte at offset 12, so it must not point anywhere.
    if (i === 0 && name.compressed) throw new FormatError('compressed question name');
    if (i === 0) question = { labels: name.labels, type, class: klass };
    offset = name.end + 4;
  }
  const questionEnd = offset;
  let edns: Edns | undefined;
  let optCount = 0;
  let authoritySoaSerial: number | undefined;
  rrCounts.forEach((count, section) => {
    for (let i = 0; i < count; i++) {
      const owner = readName(msg, offset);
      const type = u16(msg, owner.end);
      const rdLen = u16(msg, owner.end + 8);
      const rdEnd = owner.end + 10 + rdLen;
      if (rdEnd > msg.length) throw new FormatError('RDATA runs past the end');
      if (type === RRType.OPT) {
        // RFC 6891 §6.1.1: OPT only in the additional section, and at most one.
        if (section !== 2) throw new FormatError('OPT outside the additional section');
        if (++optCount > 1) throw new FormatError('more than one OPT');
        edns = readOpt(msg, owner, rdEnd);
      }
      if (type === RRType.SOA && section === 1) authoritySoaSerial = readSoaSerial(msg, owner.end + 10, rdEnd);
      offset = rdEnd;
    }
  });
  // Trailing bytes mean the counts and the data disagree: refuse to guess (as BIND does).
  if (offset !== msg.length) throw new FormatError('trailing bytes after the last record');
  return {
    header,
    questionCount: qdcount,
    question: qdcount === 1 ? question : undefined,
    questionBytes: qdcount === 1 ? Buffer.from(msg.subarray(HEADER_BYTES, questionEnd)) : undefined,
    edns,
    ...(authoritySoaSerial === undefined ? {} : { authoritySoaSerial }),
  };
}

/** The SERIAL of a SOA RDATA (RFC 1035 §3.3.13: MNAME, RNAME, then five 32-bit fields), checked to fill it exactly. */
function readSoaSerial(msg: Buffer, start: number, rdEnd: number): number {
  const rname = readName(msg, readName(msg, start).end);
  if (rname.end + 20 !== rdEnd) throw new FormatError('SOA RDATA of the wrong length');
  return msg.readUInt32BE(rname.end);
}
