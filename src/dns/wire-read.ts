/**
 * Bounds-checked readers of a DNS message's parts (RFC 1035 §4.1): names, the questions and the
 * fixed part of every resource record. Shared by the query decoder (wire-decode.ts), the TSIG
 * reader (tsig/) and the UPDATE decoder (update/), so each checks the same bounds the same way.
 * Every violation throws WireFormatError, which the callers turn into FORMERR.
 */

/** A structural error in a message whose header was readable (-> FORMERR). */
export class WireFormatError extends Error {}

/** The fixed header (RFC 1035 §4.1.1). */
export const HEADER_BYTES = 12;
const MAX_NAME_WIRE = 255;

/** A name as read from a message. */
export interface NameRead {
  /** Labels exactly as sent, one character per byte (latin1), original case. */
  readonly labels: string[];
  /** Offset just after the name where it was encountered. */
  readonly end: number;
  readonly compressed: boolean;
}

/**
 * Reads a possibly compressed name (RFC 1035 §4.1.4) with every bound checked. Like dns-packet it
 * only follows pointers to strictly earlier data, so pointer loops terminate.
 */
export function readName(msg: Buffer, start: number): NameRead {
  const labels: string[] = [];
  let offset = start;
  let segmentStart = start;
  let end = -1;
  let wire = 1;
  for (;;) {
    if (offset >= msg.length) throw new WireFormatError('name runs past the end');
    const len = msg[offset] as number;
    if (len === 0) {
      if (end < 0) end = offset + 1;
      return { labels, end, compressed: segmentStart !== start };
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (offset + 1 >= msg.length) throw new WireFormatError('pointer runs past the end');
      const target = ((len & 0x3f) << 8) | (msg[offset + 1] as number);
      // Only strictly earlier targets, each before the last one: a loop is impossible.
      if (target >= segmentStart || target < HEADER_BYTES) throw new WireFormatError('bad pointer');
      if (end < 0) end = offset + 2;
      offset = target;
      segmentStart = target;
      continue;
    }
    // 0x40 and 0x80 are the obsolete extended label types (RFC 6891 §5): a label of 64+.
    if (kind !== 0) throw new WireFormatError('label longer than 63');
    if (offset + 1 + len > msg.length) throw new WireFormatError('label runs past the end');
    wire += len + 1;
    if (wire > MAX_NAME_WIRE) throw new WireFormatError('name longer than 255 octets');
    labels.push(msg.toString('latin1', offset + 1, offset + 1 + len));
    offset += 1 + len;
  }
}

/** A 16-bit field, or WireFormatError when the message ends first. */
export function u16(msg: Buffer, offset: number): number {
  if (offset + 2 > msg.length) throw new WireFormatError('message truncated');
  return msg.readUInt16BE(offset);
}

/** One entry of the question section (the zone section of an UPDATE, RFC 2136 §2.3). */
export interface QuestionRead {
  readonly name: NameRead;
  readonly type: number;
  readonly klass: number;
}

/**
 * The sections after the question, by index. In an UPDATE (RFC 2136 §2) they hold the
 * prerequisites, the updates and the additional data.
 */
export const Section = { ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 2 } as const;

/** The fixed part of one resource record, its RDATA located but not interpreted. */
export interface RecordRead {
  /** Section.ANSWER, AUTHORITY or ADDITIONAL. */
  readonly section: 0 | 1 | 2;
  /** Offset of the owner name's first byte. */
  readonly start: number;
  readonly owner: NameRead;
  readonly type: number;
  readonly klass: number;
  readonly ttl: number;
  /** RDATA is msg[rdStart, rdEnd). */
  readonly rdStart: number;
  readonly rdEnd: number;
}

/** Every question and record of a message, in order. */
export interface MessageRead {
  readonly questions: readonly QuestionRead[];
  /** Offset just after the question section. */
  readonly questionEnd: number;
  readonly records: readonly RecordRead[];
}

/**
 * Walks the whole message by the header's counts: each name and RDATA length checked, and no byte
 * left over (trailing bytes mean the counts and the data disagree: we refuse to guess, as BIND does).
 */
export function readMessage(msg: Buffer): MessageRead {
  if (msg.length < HEADER_BYTES) throw new WireFormatError('shorter than a header');
  const qdcount = msg.readUInt16BE(4);
  const questions: QuestionRead[] = [];
  let offset = HEADER_BYTES;
  for (let i = 0; i < qdcount; i++) {
    const name = readName(msg, offset);
    questions.push({ name, type: u16(msg, name.end), klass: u16(msg, name.end + 2) });
    offset = name.end + 4;
  }
  const questionEnd = offset;
  const records: RecordRead[] = [];
  for (const section of [Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL]) {
    const count = msg.readUInt16BE(6 + 2 * section);
    for (let i = 0; i < count; i++) {
      const owner = readName(msg, offset);
      const rdLen = u16(msg, owner.end + 8);
      const rdStart = owner.end + 10;
      const rdEnd = rdStart + rdLen;
      if (rdEnd > msg.length) throw new WireFormatError('RDATA runs past the end');
      records.push({
        section,
        start: offset,
        owner,
        type: msg.readUInt16BE(owner.end),
        klass: msg.readUInt16BE(owner.end + 2),
        ttl: msg.readUInt32BE(owner.end + 4),
        rdStart,
        rdEnd,
      });
      offset = rdEnd;
    }
  }
  if (offset !== msg.length) throw new WireFormatError('trailing bytes after the last record');
  return { questions, questionEnd, records };
}
