/**
 * The strict decoder of RFC 2136 UPDATE messages (opcode 5). The four sections keep the header's
 * counts under their UPDATE names (§2: ZOCOUNT, PRCOUNT, UPCOUNT, ADCOUNT); every bound is checked
 * by the same name reader as queries (wire-decode.ts), and the work one message can cause is
 * bounded before any record is read (the caps below).
 */
import type { Edns, QueryHeader } from '../packet';
import { RRType } from '../packet';
import { FormatError, readName, readOpt, type NameRead } from '../wire-decode';

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

/** The TSIG RR type (RFC 8945 §4.2). */
const TYPE_TSIG = 250;

const HEADER_BYTES = 12;

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
    return { kind: 'update', message: readSections(msg, header, { prCount, upCount, adCount }) };
  } catch (err) {
    if (err instanceof FormatError) return { kind: 'formerr', header, reason: err.message };
    throw err;
  }
}

function u16(msg: Buffer, offset: number): number {
  if (offset + 2 > msg.length) throw new FormatError('message truncated');
  return msg.readUInt16BE(offset);
}

/** A TXT RDATA's <character-string>s: each a length octet and that many octets, filling it exactly. */
export function readTxtStrings(rdata: Buffer): Buffer[] {
  const strings: Buffer[] = [];
  for (let off = 0; off < rdata.length; ) {
    const len = rdata[off] as number;
    if (off + 1 + len > rdata.length) throw new FormatError('TXT string runs past the RDATA');
    strings.push(Buffer.from(rdata.subarray(off + 1, off + 1 + len)));
    off += 1 + len;
  }
  return strings;
}

/** Reads one RR at `offset`: the record and the offset after it. */
function readRecord(msg: Buffer, offset: number): { record: UpdateRecord; start: number; end: number; owner: NameRead } {
  const owner = readName(msg, offset);
  const type = u16(msg, owner.end);
  const klass = u16(msg, owner.end + 2);
  if (owner.end + 10 > msg.length) throw new FormatError('record header truncated');
  const ttl = msg.readUInt32BE(owner.end + 4);
  const rdLen = msg.readUInt16BE(owner.end + 8);
  const rdStart = owner.end + 10;
  const end = rdStart + rdLen;
  if (end > msg.length) throw new FormatError('RDATA runs past the end');
  const rdata = Buffer.from(msg.subarray(rdStart, end));
  const txt = type === RRType.TXT && rdLen > 0 ? readTxtStrings(rdata) : undefined;
  return { record: { labels: owner.labels, type, class: klass, ttl, rdata, txt }, start: offset, end, owner };
}

/** The counts of the three record sections (RFC 2136 §2.2: PRCOUNT, UPCOUNT, ADCOUNT). */
interface SectionCounts {
  readonly prCount: number;
  readonly upCount: number;
  readonly adCount: number;
}

function readSections(msg: Buffer, header: QueryHeader, { prCount, upCount, adCount }: SectionCounts): UpdateMessage {
  const zoCount = msg.readUInt16BE(4);
  const zones: ZoneEntry[] = [];
  let offset = HEADER_BYTES;
  let zoneCompressed = false;
  for (let i = 0; i < zoCount; i++) {
    const name = readName(msg, offset);
    zones.push({ labels: name.labels, type: u16(msg, name.end), class: u16(msg, name.end + 2) });
    zoneCompressed ||= name.compressed;
    offset = name.end + 4;
  }
  const zoneEnd = offset;
  const section = (count: number): UpdateRecord[] => {
    const records: UpdateRecord[] = [];
    for (let i = 0; i < count; i++) {
      const read = readRecord(msg, offset);
      // RFC 6891 §6.1.1 (OPT only among the additional records), RFC 8945 §5.1 (TSIG only last there).
      if (read.record.type === RRType.OPT || read.record.type === TYPE_TSIG) throw new FormatError('OPT or TSIG outside the additional section');
      records.push(read.record);
      offset = read.end;
    }
    return records;
  };
  const prerequisites = section(prCount);
  const updates = section(upCount);
  let edns: Edns | undefined;
  let tsig: TsigPosition | undefined;
  for (let i = 0; i < adCount; i++) {
    const read = readRecord(msg, offset);
    if (read.record.type === RRType.OPT) {
      if (edns !== undefined) throw new FormatError('more than one OPT');
      edns = readOpt(msg, read.owner, read.end);
    } else if (read.record.type === TYPE_TSIG) {
      // RFC 8945 §5.1: a TSIG anywhere but last (or a second one) is FORMERR.
      if (i !== adCount - 1) throw new FormatError('TSIG is not the last record');
      tsig = { start: read.start, end: read.end };
    }
    offset = read.end;
  }
  // Trailing bytes mean the counts and the data disagree: refuse to guess (as for queries).
  if (offset !== msg.length) throw new FormatError('trailing bytes after the last record');
  const echo = zoCount === 1 && !zoneCompressed;
  return {
    header,
    zones,
    zoneBytes: echo ? Buffer.from(msg.subarray(HEADER_BYTES, zoneEnd)) : undefined,
    prerequisites,
    updates,
    edns,
    tsig,
  };
}
