/**
 * The TXT values of the in-memory account index (account-index.ts), in one growing byte buffer
 * instead of a string and an array per account. A record is [count u8], then per value, newest
 * first, [updated_at u32][tag u8][body]:
 *   tag 0-253: the value's UTF-8 bytes, `tag` of them;
 *   tag 254:   [length u16] and that many UTF-8 bytes (RFC 2136 values up to 4096 octets);
 *   tag 255:   32 bytes, the value being their base64url: 43 characters, as every ACME DNS-01
 *              value is (RFC 8555 §8.4: a SHA-256 digest). acme-dns's API accepts only 43
 *              characters of that alphabet; the few that are no digest's spelling are kept as text.
 * One such value takes 37 bytes instead of the 55 of [u16][f64][u16][43 characters]; reading it
 * is one base64url encode (~60 ns) instead of one UTF-8 decode (~57 ns). An account whose values
 * are one such value has no record: it sits in the account's slot (uuid-table.ts). A record is
 * never changed in place: a new one is written and the old one counted as garbage, dropped when
 * the index compacts.
 */
import { DIGEST_BYTES, DIGEST_TEXT, encodeDigest, isDigest } from './digest';

/** The offset of an account without values (no record). */
export const NO_VALUES = 0xffffffff;
/** The last offset a record may start at: uuid-table.ts marks its slots with the three values above it. */
const MAX_OFFSET = 0xfffffffb;
/** The most values a record holds (txt.keep is at most 100): an account beyond them is kept as strings. */
const MAX_COUNT = 0xff;
/** The largest updated_at the u32 field holds (seconds: the year 2106); a later or fractional one is kept as strings. */
const MAX_AT = 0xffffffff;

/** Longest value whose length fits in the tag itself. */
const MAX_SHORT = 253;
const TAG_LONG = 254;
const TAG_DIGEST = 255;
/** The longest value a u16 length holds: an account with a longer one is kept as strings. */
const MAX_LONG = 0xffff;
/** updated_at and the tag. */
const VALUE_HEAD = 5;
const INITIAL_BYTES = 64 * 1024;

/** Whether an updated_at fits the u32 field (uuid-table.ts keeps inline values' in one too). */
export function fitsAt(at: number): boolean {
  return Number.isInteger(at) && at >= 0 && at <= MAX_AT;
}

/** An account's values and their updated_at, newest first. */
export interface AccountValues {
  readonly values: readonly string[];
  readonly at: readonly number[];
}

/** Bytes of a non-digest value after its updated_at and tag (with a u16 length for long ones); -1: too long. */
function textSize(value: string): number {
  const length = Buffer.byteLength(value, 'utf8');
  if (length <= MAX_SHORT) return length;
  return length <= MAX_LONG ? 2 + length : -1;
}

/** The buffer, how much of it is written, and how much of that is superseded. */
export class ValueArena {
  private buffer: Buffer;
  private end = 0;
  /** Bytes of records no entry points at any more. */
  garbage = 0;

  constructor(initialBytes = INITIAL_BYTES) {
    this.buffer = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** Bytes allocated. */
  get bytes(): number {
    return this.buffer.byteLength;
  }

  /**
   * Makes room for `bytes` more at once (a full build): allocated but not touched, so only what is
   * written counts in the process's memory.
   */
  reserve(bytes: number): void {
    this.ensure(bytes);
  }

  /** Bytes written (records in use and garbage). */
  get written(): number {
    return this.end;
  }

  /** Writes a record; its offset, NO_VALUES for none, undefined when the fields cannot hold it. */
  write(values: readonly string[], at: readonly number[]): number | undefined {
    if (values.length === 0) return NO_VALUES;
    if (values.length > MAX_COUNT || this.end > MAX_OFFSET) return undefined;
    let size = 1;
    // Which of the first 31 values are digests (bit i), so each is tested once (a build writes 1,000,000).
    let digests = 0;
    for (let i = 0; i < values.length; i++) {
      const t = at[i] as number;
      if (!fitsAt(t)) return undefined;
      const value = values[i] as string;
      let body = DIGEST_BYTES;
      if (isDigest(value)) digests |= i < 31 ? 1 << i : 0;
      else body = textSize(value);
      if (body < 0) return undefined;
      size += VALUE_HEAD + body;
    }
    this.ensure(size);
    const start = this.end;
    const buf = this.buffer;
    buf[start] = values.length;
    let p = start + 1;
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as string;
      buf.writeUInt32LE(at[i] as number, p);
      p += VALUE_HEAD;
      if (i < 31 ? (digests >>> i) & 1 : isDigest(value)) {
        buf[p - 1] = TAG_DIGEST;
        p += buf.write(value, p, DIGEST_BYTES, 'base64url');
        continue;
      }
      const length = Buffer.byteLength(value, 'utf8');
      if (length > MAX_SHORT) {
        buf[p - 1] = TAG_LONG;
        buf.writeUInt16LE(length, p);
        p += 2;
      } else {
        buf[p - 1] = length;
      }
      p += buf.write(value, p, 'utf8');
    }
    this.end = p;
    return start;
  }

  /** The values of the record at least as new as `cutoff`: a prefix, since they are newest first. */
  read(offset: number, cutoff: number): string[] {
    const buf = this.buffer;
    const count = buf[offset] as number;
    const values: string[] = [];
    let p = offset + 1;
    for (let i = 0; i < count; i++) {
      if (buf.readUInt32LE(p) < cutoff) break;
      const tag = buf[p + 4] as number;
      p += VALUE_HEAD;
      if (tag === TAG_DIGEST) {
        values.push(buf.toString('base64url', p, p + DIGEST_BYTES));
        p += DIGEST_BYTES;
      } else {
        const long = tag === TAG_LONG;
        const length = long ? buf.readUInt16LE(p) : tag;
        if (long) p += 2;
        values.push(buf.toString('utf8', p, p + length));
        p += length;
      }
    }
    return values;
  }

  /**
   * When the record at `offset` holds exactly one value at least as new as `cutoff` and it is
   * `length` octets, writes its octets at `out[at]` and returns true; false otherwise. The reply
   * replay's read (udp-replay.ts): no string, no array, one read of the record.
   */
  writeSole(offset: number, cutoff: number, length: number, out: Buffer, at: number): boolean {
    const buf = this.buffer;
    const count = buf[offset] as number;
    const p = offset + 1;
    if (buf.readUInt32LE(p) < cutoff) return false;
    const tag = buf[p + 4] as number;
    const stored = tag === TAG_DIGEST ? DIGEST_TEXT : tag === TAG_LONG ? buf.readUInt16LE(p + VALUE_HEAD) : tag;
    if (length !== stored) return false;
    const next = this.next(p);
    // The values are newest first: the second one, if any, must be older than the cutoff.
    if (count > 1 && buf.readUInt32LE(next) >= cutoff) return false;
    if (tag === TAG_DIGEST) encodeDigest(buf, p + VALUE_HEAD, out, at);
    else buf.copy(out, at, next - length, next);
    return true;
  }

  /** The whole record with the updated_at of each value. */
  decode(offset: number): AccountValues {
    if (offset === NO_VALUES) return { values: [], at: [] };
    const values = this.read(offset, -Infinity);
    const at: number[] = [];
    let p = offset + 1;
    for (let i = 0; i < values.length; i++) {
      at.push(this.buffer.readUInt32LE(p));
      p = this.next(p);
    }
    return { values, at };
  }

  /** Counts the record at `offset` as garbage (superseded or its account gone). */
  release(offset: number): void {
    if (offset !== NO_VALUES) this.garbage += this.size(offset);
  }

  /** Copies the record at `offset` into `to`; its offset there. */
  copyTo(to: ValueArena, offset: number): number {
    if (offset === NO_VALUES) return NO_VALUES;
    const size = this.size(offset);
    to.ensure(size);
    const start = to.end;
    this.buffer.copy(to.buffer, start, offset, offset + size);
    to.end += size;
    return start;
  }

  private size(offset: number): number {
    const count = this.buffer[offset] as number;
    let p = offset + 1;
    for (let i = 0; i < count; i++) p = this.next(p);
    return p - offset;
  }

  /** Where the value after the one at `p` starts. */
  private next(p: number): number {
    const tag = this.buffer[p + 4] as number;
    if (tag === TAG_DIGEST) return p + VALUE_HEAD + DIGEST_BYTES;
    if (tag === TAG_LONG) return p + VALUE_HEAD + 2 + this.buffer.readUInt16LE(p + VALUE_HEAD);
    return p + VALUE_HEAD + tag;
  }

  /** Room for `size` more bytes: a buffer twice as large (or large enough) when full. */
  private ensure(size: number): void {
    if (this.end + size <= this.buffer.byteLength) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.end + size, this.buffer.byteLength * 2));
    this.buffer.copy(next, 0, 0, this.end);
    this.buffer = next;
  }
}
