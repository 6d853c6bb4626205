/**
 * The strict decoder of RFC 2136 UPDATE messages (opcode 5). The four sections keep the header's
 * counts under their UPDATE names (§2: ZOCOUNT, PRCOUNT, UPCOUNT, ADCOUNT); every bound is checked
 * by the same name reader as queries (wire-decode.ts), and the work one message can cause is
 * bounded before any record is read (the caps below).
 */
import type { Edns, QueryHeader } from '../packet';
import { RRType } from '../packet';
import { TYPE_TSIG } from '../tsig';
import { readOpt } from '../wire-decode';
import { HEADER_BYTES, readMessage, Section, WireFormatError, type RecordRead } from '../wire-read';

/** Largest UPDATE we read over UDP, in octets. RFC 1035 §4.2.1 limits UDP to 512 without EDNS
 * and nsupdate/knsupdate switch to TCP above that; 4096 is the largest EDNS size clients commonly
 * advertise, so no honest client sends more over UDP, and a bigger datagram (fragments, which are
 * easy to forge) is refused before any work. TCP carries up to 65535 (RFC 1035 §4.2.2). */
export const MAX_UDP_UPDATE_BYTES = 4096;

/** Most prerequisite records (PRCOUNT) we read: an ACME client sends none or one per value, and
 * every prerequisite names the one account name, so 100 is far beyond any honest use while keeping
 * the check inside the store's transaction small. */
export const MAX_PREREQUISITES = 100;

/** Most update records (UPCOUNT): an account keeps a handful of values (`txt.keep`); 100 adds or
 * deletes cover any client's batch (lego sends one, certbot one per value). */
export const MAX_UPDATES = 100;

/** Most additional records (ADCOUNT): RFC 2136 §2.6 lets clients send related data we ignore;
 * in practice only OPT and TSIG come, so the same bound as above is generous. */
export const MAX_ADDITIONAL = 100;


/** An entry of the zone section (RFC 2136 §2.3): ZNAME, ZTYPE, ZCLASS. */
export interface ZoneEntry {
  /** Labels exactly as sent, one character per byte (latin1). */
  readonly labels: readonly string[];
  readonly type: number;
  readonly class: number;
}

/** A record of the prerequisite or update section (RFC 2136 §2.4, §2.5). */
export interface UpdateRecord {
  /** Owner labels exactly as sent (latin1). */
  readonly labels: readonly string[];
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly rdata: Buffer;
  /** For TXT with RDATA: its <character-string>s (RFC 1035 §3.3.14), each bound checked. */
  readonly txt: readonly Buffer[] | undefined;
}

/** Where the TSIG RR lies in the message: its owner name's first byte and the end of its RDATA. */
export interface TsigPosition {
  readonly start: number;
  readonly end: number;
}

/** A decoded UPDATE message. */
export interface UpdateMessage {
  readonly header: QueryHeader;
  readonly zones: readonly ZoneEntry[];
  /** The zone section's bytes when it holds one uncompressed entry: echoed in the response (§3.8). */
  readonly zoneBytes: Buffer | undefined;
  readonly prerequisites: readonly UpdateRecord[];
  readonly updates: readonly UpdateRecord[];
  readonly edns: Edns | undefined;
  /** Absent: the message is not signed. */
  readonly tsig: TsigPosition | undefined;
}

/** What a message turned out to be. */
export type UpdateDecodeResult =
  | { readonly kind: 'drop'; readonly reason: string }
  | { readonly kind: 'formerr'; readonly header: QueryHeader; readonly reason: string }
  /** Beyond our bounds (size over UDP, counts): refused before reading the records. */
  | { readonly kind: 'refused'; readonly header: QueryHeader; readonly reason: string }
  | { readonly kind: 'update'; readonly message: UpdateMessage };

/** The header fields a response echoes; undefined when there is no header, or it is a response. */
export function readHeader(msg: Buffer): QueryHeader | undefined {
  if (msg.length < HEADER_BYTES) return undefined;
  const flags = msg.readUInt16BE(2);
  // A response is never answered (RFC 1035 §4.1.1 QR): answering could start a loop.
  if (flags & 0x8000) return undefined;
  return { id: msg.readUInt16BE(0), opcode: (flags >> 11) & 0xf, rd: (flags & 0x0100) !== 0, cd: (flags & 0x0010) !== 0 };
}

/** Decodes an UPDATE that came over `transport`. */
export function decodeUpdate(msg: Buffer, transport: 'udp' | 'tcp'): UpdateDecodeResult {
  const header = readHeader(msg);
  if (header === undefined) return { kind: 'drop', reason: msg.length < HEADER_BYTES ? 'shorter than a header' : 'QR=1' };
  if (transport === 'udp' && msg.length > MAX_UDP_UPDATE_BYTES) {
    return { kind: 'refused', header, reason: `${msg.length} octets over UDP` };
  }
  const [prCount, upCount, adCount] = [msg.readUInt16BE(6), msg.readUInt16BE(8), msg.readUInt16BE(10)];
  if (prCount > MAX_PREREQUISITES) return { kind: 'refused', header, reason: `${prCount} prerequisites` };
  if (upCount > MAX_UPDATES) return { kind: 'refused', header, reason: `${upCount} updates` };
  if (adCount > MAX_ADDITIONAL) return { kind: 'refused', header, reason: `${adCount} additional records` };
  try {
    return { kind: 'update', message: readSections(msg, header) };
  } catch (err) {
    if (err instanceof WireFormatError) return { kind: 'formerr', header, reason: err.message };
    throw err;
  }
}

/** A TXT RDATA's <character-string>s: each a length octet and that many octets, filling it exactly. */
export function readTxtStrings(rdata: Buffer): Buffer[] {
  const strings: Buffer[] = [];
  for (let off = 0; off < rdata.length; ) {
    const len = rdata[off] as number;
    if (off + 1 + len > rdata.length) throw new WireFormatError('TXT string runs past the RDATA');
    strings.push(Buffer.from(rdata.subarray(off + 1, off + 1 + len)));
    off += 1 + len;
  }
  return strings;
}

/** A walked record as an UpdateRecord: its RDATA copied, TXT strings read. */
function toUpdateRecord(msg: Buffer, rr: RecordRead): UpdateRecord {
  const rdata = Buffer.from(msg.subarray(rr.rdStart, rr.rdEnd));
  const txt = rr.type === RRType.TXT && rdata.length > 0 ? readTxtStrings(rdata) : undefined;
  return { labels: rr.owner.labels, type: rr.type, class: rr.klass, ttl: rr.ttl, rdata, txt };
}

function readSections(msg: Buffer, header: QueryHeader): UpdateMessage {
  // The shared walker checks every name, length and that no byte is left over (wire-read.ts).
  const { questions, questionEnd, records } = readMessage(msg);
  const prerequisites: UpdateRecord[] = [];
  const updates: UpdateRecord[] = [];
  let edns: Edns | undefined;
  let tsig: TsigPosition | undefined;
  records.forEach((rr, i) => {
    const meta = rr.type === RRType.OPT || rr.type === TYPE_TSIG;
    // RFC 6891 §6.1.1: OPT only among the additional records; RFC 8945 §5.2: TSIG only last there.
    if (meta && rr.section !== Section.ADDITIONAL) throw new WireFormatError('OPT or TSIG outside the additional section');
    if (rr.type === RRType.OPT) {
      if (edns !== undefined) throw new WireFormatError('more than one OPT');
      edns = readOpt(msg, rr.owner, rr.rdEnd);
    } else if (rr.type === TYPE_TSIG) {
      if (i !== records.length - 1) throw new WireFormatError('TSIG is not the last record');
      tsig = { start: rr.start, end: rr.rdEnd };
    } else if (rr.section === Section.ANSWER) prerequisites.push(toUpdateRecord(msg, rr));
    else if (rr.section === Section.AUTHORITY) updates.push(toUpdateRecord(msg, rr));
    // Other additional records (RFC 2136 §2.6, e.g. glue) are read for their bounds and ignored.
  });
  const echo = questions.length === 1 && questions[0]?.name.compressed === false;
  return {
    header,
    zones: questions.map((q) => ({ labels: q.name.labels, type: q.type, class: q.klass })),
    zoneBytes: echo ? Buffer.from(msg.subarray(HEADER_BYTES, questionEnd)) : undefined,
    prerequisites,
    updates,
    edns,
    tsig,
  };
}
