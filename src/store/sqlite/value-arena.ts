/**
 * The TXT values of the in-memory account index (account-index.ts), in one growing byte buffer
 * instead of a string and an array per account: [count u16], then per value, newest first,
 * [updated_at f64][length u16][the value's UTF-8 bytes]. A record is never changed in place: a
 * new one is written and the old one counted as garbage, dropped when the index compacts.
 */

/** The offset of an account without values (no record). */
export const NO_VALUES = 0xffffffff;
/** The largest count and value length the u16 fields hold: an account beyond them is kept as strings. */
const U16_MAX = 0xffff;
const INITIAL_BYTES = 64 * 1024;

/** An account's values and their updated_at, newest first. */
export interface AccountValues {
  readonly values: readonly string[];
  readonly at: readonly number[];
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
    if (values.length > U16_MAX) return undefined;
    let size = 2;
    for (const v of values) {
      const length = Buffer.byteLength(v, 'utf8');
      if (length > U16_MAX) return undefined;
      size += 10 + length;
    }
    this.ensure(size);
    const start = this.end;
    const buf = this.buffer;
    buf.writeUInt16LE(values.length, start);
    let p = start + 2;
    for (let i = 0; i < values.length; i++) {
      buf.writeDoubleLE(at[i] as number, p);
      const length = buf.write(values[i] as string, p + 10, 'utf8');
      buf.writeUInt16LE(length, p + 8);
      p += 10 + length;
    }
    this.end = p;
    return start;
  }

  /** The values of the record at least as new as `cutoff`: a prefix, since they are newest first. */
  read(offset: number, cutoff: number): string[] {
    const buf = this.buffer;
    const count = buf.readUInt16LE(offset);
    const values: string[] = [];
    let p = offset + 2;
    for (let i = 0; i < count; i++) {
      if (buf.readDoubleLE(p) < cutoff) break;
      const length = buf.readUInt16LE(p + 8);
      values.push(buf.toString('utf8', p + 10, p + 10 + length));
      p += 10 + length;
    }
    return values;
  }

  /** The whole record with the updated_at of each value. */
  decode(offset: number): AccountValues {
    if (offset === NO_VALUES) return { values: [], at: [] };
    const values = this.read(offset, -Infinity);
    const at: number[] = [];
    let p = offset + 2;
    for (const v of values) {
      at.push(this.buffer.readDoubleLE(p));
      p += 10 + Buffer.byteLength(v, 'utf8');
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
    const count = this.buffer.readUInt16LE(offset);
    let p = offset + 2;
    for (let i = 0; i < count; i++) p += 10 + this.buffer.readUInt16LE(p + 8);
    return p - offset;
  }

  /** Room for `size` more bytes: a buffer twice as large (or large enough) when full. */
  private ensure(size: number): void {
    if (this.end + size <= this.buffer.byteLength) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.end + size, this.buffer.byteLength * 2));
    this.buffer.copy(next, 0, 0, this.end);
    this.buffer = next;
  }
}
