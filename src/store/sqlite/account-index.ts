/**
 * Every account's name and its newest TXT values, in memory, compact: the DNS reads answer any
 * account (and any name without one) from here, so a query for a random account of 1,000,000
 * costs a hash probe instead of ~12 random page reads in SQLite (50-70 us measured). Kept exact by
 * account-sync.ts. Canonical UUID keys (acme-dns's and ours: almost all) live in a table of 16-byte
 * keys (uuid-table.ts); an account's one ACME value sits in its slot, other values in one byte
 * arena (value-arena.ts): ~93 bytes per account with one ACME value, against ~300 as strings and
 * arrays in a Map. Other keys, and the rare account whose values the arena's fields cannot hold (a
 * value over 64 KiB, an updated_at that is not a whole number of seconds in u32), live in a Map
 * beside them.
 */
import type { NameData } from '../../core/types';
import { DIGEST_TEXT, isDigest } from './digest';
import { fitsAt, ValueArena, NO_VALUES, type AccountValues } from './value-arena';
import { parseUuidKey, parseUuidOctets } from './uuid-key';
import { INLINE, UuidTable } from './uuid-table';

/** Octets of a UUID label (8-4-4-4-12). */
const UUID_OCTETS = 36;
/** touchAll()'s slots, loaded together this many at most (libuv reads 32 datagrams per poll). */
const touchedSlots = new Uint32Array(64);

/** Garbage in the arena below which it is never compacted. */
const COMPACT_AFTER_BYTES = 1 << 20;

/** What a name without values answers (shared: the handler only reads it). */
const NO_NAME_DATA: NameData = Object.freeze({ values: Object.freeze([]) as readonly string[] });

/** Whether the values are one ACME digest with an updated_at the table's u32 holds: kept inline in the account's slot. */
function inlines(values: readonly string[], at: readonly number[]): boolean {
  return values.length === 1 && isDigest(values[0] as string) && fitsAt(at[0] as number);
}

/** One account kept as strings, with the answer while none of its values has aged out. */
interface OtherAccount extends AccountValues {
  readonly all: NameData;
}

/** The accounts as of the last sync: set, delete, and the lookups the DNS path makes. */
export class AccountIndex {
  private readonly table = new UuidTable();
  private arena = new ValueArena();
  private readonly others = new Map<string, OtherAccount>();

  /** Accounts held. */
  get size(): number {
    return this.table.size + this.others.size;
  }

  /** Bytes held by the table and the arena (the Map's few entries are not counted). */
  get bytes(): number {
    return this.table.bytes + this.arena.bytes;
  }

  /** Makes room for `accounts` UUID keys and `valueBytes` of values at once (a full build). */
  reserve(accounts: number, valueBytes: number): void {
    this.table.reserve(accounts);
    this.arena.reserve(valueBytes);
  }

  /** Whether an account has the key. */
  has(key: string): boolean {
    return (parseUuidKey(key) && this.table.find() >= 0) || (this.others.size > 0 && this.others.has(key));
  }

  /** The values of the key's account at least as new as `cutoff` (seconds); undefined: no account. */
  get(key: string, cutoff: number): NameData | undefined {
    // A UUID key is in the Map only when its values did not fit the arena (rare): the table first.
    const entry = parseUuidKey(key) ? this.table.find() : -1;
    if (entry < 0) {
      const other = this.others.size > 0 ? this.others.get(key) : undefined;
      if (other === undefined) return undefined;
      if (other.at.length === 0 || (other.at[other.at.length - 1] as number) >= cutoff) return other.all;
      return { values: other.values.filter((_, i) => (other.at[i] as number) >= cutoff) };
    }
    const offset = this.table.valueOf(entry);
    if (offset === INLINE) return this.table.inlineAt(entry) >= cutoff ? { values: [this.table.inlineValue(entry)] } : NO_NAME_DATA;
    if (offset === NO_VALUES) return NO_NAME_DATA;
    const values = this.arena.read(offset, cutoff);
    return values.length === 0 ? NO_NAME_DATA : { values };
  }

  /**
   * When the account whose key is the 36 octets of `query` from `from` (a label as it arrived, hex
   * digits of either case) is in the UUID table and has exactly one value at least as new as
   * `cutoff`, of `length` octets: writes the value at `out[at]` and returns true. False otherwise,
   * whatever the reason (no such account, other values, a label that is no UUID): get() then says which.
   */
  writeSole(query: Uint8Array, from: number, cutoff: number, length: number, out: Buffer, at: number): boolean {
    if (!parseUuidOctets(query, from)) return false;
    const entry = this.table.find();
    if (entry < 0) return false;
    const offset = this.table.valueOf(entry);
    if (offset === INLINE) {
      if (length !== DIGEST_TEXT || this.table.inlineAt(entry) < cutoff) return false;
      this.table.writeInline(entry, out, at);
      return true;
    }
    return offset !== NO_VALUES && this.arena.writeSole(offset, cutoff, length, out, at);
  }

  /**
   * Starts the reads of the slots where the label of `length` octets from `from` of each of
   * `queries` would be found, when it is a UUID (UuidTable.touchSlots): first every label's slot,
   * then the loads together. Returns what was loaded; changes nothing.
   */
  touchAll(queries: readonly Uint8Array[], from: number, length: number): number {
    if (length !== UUID_OCTETS) return 0;
    let sum = 0;
    let count = 0;
    for (const query of queries) {
      if (!parseUuidOctets(query, from)) continue;
      touchedSlots[count++] = this.table.homeOf();
      if (count === touchedSlots.length) {
        sum = (sum + this.table.touchSlots(touchedSlots, count)) | 0;
        count = 0;
      }
    }
    return (sum + this.table.touchSlots(touchedSlots, count)) | 0;
  }

  /**
   * Whether no account has the label of `length` octets of `query` from `from` (a plain label,
   * any case: letters, digits, `-`, `_`), read without a string while every key is in the UUID
   * table: a label that is no UUID, or a UUID not in the table, then has no account. A key kept
   * as a string (`others`: not a canonical UUID, or values the arena cannot hold) costs the
   * label's lower-case string.
   */
  absentAt(query: Uint8Array, from: number, length: number): boolean {
    if (this.others.size > 0 && this.others.has(lowerLatin1(query, from, length))) return false;
    return length !== UUID_OCTETS || !parseUuidOctets(query, from) || this.table.find() < 0;
  }

  /** Every value of the key's account with its updated_at, newest first; undefined: no account. */
  values(key: string): AccountValues | undefined {
    const entry = parseUuidKey(key) ? this.table.find() : -1;
    if (entry >= 0) {
      const offset = this.table.valueOf(entry);
      return offset === INLINE ? { values: [this.table.inlineValue(entry)], at: [this.table.inlineAt(entry)] } : this.arena.decode(offset);
    }
    const other = this.others.get(key);
    return other && { values: other.values, at: other.at };
  }

  /** Records the key's account with these values (newest first, already cut to the policy's `keep`). */
  set(key: string, values: readonly string[], at: readonly number[]): void {
    if (parseUuidKey(key) && inlines(values, at)) {
      if (this.others.size > 0) this.others.delete(key);
      const entry = this.table.find();
      if (entry < 0) return this.table.setInline(this.table.insert(NO_VALUES), values[0] as string, at[0] as number);
      const previous = this.table.valueOf(entry);
      this.table.setInline(entry, values[0] as string, at[0] as number);
      return this.release(previous);
    }
    const offset = parseUuidKey(key) ? this.arena.write(values, at) : undefined;
    if (offset === undefined) {
      // Not a UUID, or values the arena cannot hold: kept as strings (and out of the table).
      if (parseUuidKey(key)) this.release(this.table.remove());
      this.others.set(key, { values, at, all: { values } });
      return;
    }
    if (this.others.size > 0) this.others.delete(key);
    const entry = this.table.find();
    if (entry < 0) {
      this.table.insert(offset);
      return;
    }
    // The new offset first: a compaction in release() moves the records the table points at.
    const previous = this.table.valueOf(entry);
    this.table.setValue(entry, offset);
    this.release(previous);
  }

  /**
   * Adds an account known to be absent and without values (a full build: subdomain_key is
   * unique), skipping the search set() makes first.
   */
  addAccount(key: string): void {
    if (parseUuidKey(key)) this.table.insert(NO_VALUES);
    else this.others.set(key, { values: [], at: [], all: NO_NAME_DATA });
  }

  /**
   * Adds a value newer by id than every one the key's account holds (a full build reads them in id
   * order), kept when among its `keep` newest; nothing when no account has the key.
   */
  addNewer(key: string, value: string, at: number, keep: number): void {
    if (parseUuidKey(key)) {
      const entry = this.table.find();
      if (entry < 0) return;
      // The common case at a build: the account's first value, written without decoding anything.
      if (this.table.valueOf(entry) === NO_VALUES) {
        if (isDigest(value) && fitsAt(at)) return this.table.setInline(entry, value, at);
        const offset = this.arena.write([value], [at]);
        if (offset !== undefined) return this.table.setValue(entry, offset);
      }
    }
    const held = this.values(key);
    if (held === undefined) return;
    let i = 0;
    // Newer by id: before every held value of the same updated_at (the order is updated_at, id descending).
    while (i < held.at.length && (held.at[i] as number) > at) i++;
    if (i >= keep) return;
    const values = [...held.values.slice(0, i), value, ...held.values.slice(i)].slice(0, keep);
    const ats = [...held.at.slice(0, i), at, ...held.at.slice(i)].slice(0, keep);
    this.set(key, values, ats);
  }

  /** Forgets the key's account (nothing when there is none). */
  delete(key: string): void {
    if (parseUuidKey(key)) this.release(this.table.remove());
    this.others.delete(key);
  }

  /**
   * Counts a superseded record as garbage; once garbage is over half of what was written (and over
   * 1 MiB), copies the records in use into a new arena: memory stays within twice the live values.
   */
  private release(offset: number | undefined): void {
    // An inline value was in the slot: nothing in the arena.
    if (offset === undefined || offset === INLINE) return;
    const arena = this.arena;
    arena.release(offset);
    if (arena.garbage < COMPACT_AFTER_BYTES || arena.garbage * 2 < arena.written) return;
    const next = new ValueArena(Math.max(arena.written - arena.garbage, 1024));
    this.table.remap((at) => arena.copyTo(next, at));
    this.arena = next;
  }
}

/** The `length` octets of `bytes` from `from` as a string, ASCII letters in lower case (subdomainKey of a plain label). */
function lowerLatin1(bytes: Uint8Array, from: number, length: number): string {
  let text = '';
  for (let i = from; i < from + length; i++) {
    const b = bytes[i] as number;
    text += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
  }
  return text;
}
