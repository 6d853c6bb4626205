/**
 * The UUID keys of the in-memory account index (account-index.ts): an open-addressing hash table
 * (linear probing) whose slots hold the key itself, and for an account whose one value is an ACME
 * digest (almost every account with a value) that value too: 56 bytes a slot, the key's 16 bytes,
 * a value word (where the account's values start in the value arena, or a mark), then the inline
 * value's updated_at and 32 bytes. A lookup of a random account of 1,000,000 then reads one slot
 * (one cache line, seldom two adjacent) instead of a slot and an arena record: two dependent cache
 * misses cost 516 ns against 275 ns for one on this VM (random reads of 80 MiB); a query for a
 * random account of 1,000,000 went from 2.13-2.19 to 1.87 us in the process.
 *
 * The table has any number of slots, not a power of two (a key's first slot is its hash scaled to
 * the table: Lemire's multiply-shift), so it grows by a quarter at a time instead of doubling:
 * ~93 bytes per account at 1,000,000 (60% full), where a power of two would jump to 2^22 slots
 * (235 MB) past 1,258,000 accounts.
 * Every method works on the key last parsed into uuidWords; a slot number is valid until the next
 * insert.
 */
import { hashWords, uuidWords } from './uuid-key';
import { DIGEST_BYTES, encodeDigest } from './digest';
import { tableWords } from './huge-memory';

/** Slot marks, in the value word: never a value (value-arena.ts MAX_OFFSET keeps every offset below them). */
const EMPTY = 0xfffffffe;
const DELETED = 0xfffffffd;
/** The value word of an account whose one value is inline in its slot (its updated_at, then its 32 bytes). */
export const INLINE = 0xfffffffc;
/** Words per slot: the key's four, the value word, the inline value's updated_at, its 32 bytes. */
const SLOT_WORDS = 14;
const SLOT_BYTES = SLOT_WORDS * 4;
const VALUE_WORD = 4;
const AT_WORD = 5;
const DIGEST_BYTE = 6 * 4;
/** The table grows (or is cleaned of deletion marks) beyond this share of used slots... */
const MAX_LOAD = 0.75;
/** ...to this share: linear probing then reads ~3.6 slots for a key it does not hold, 1.75 for one it does. */
const REHASH_LOAD = 0.6;
const MIN_SLOTS = 1024;
/** 2^32: a hash over it is in [0, 1). */
const HASH_RANGE = 0x1_0000_0000;

/** Keys and, per key, one number (the offset of its values, or INLINE with the value in the slot). */
export class UuidTable {
  private words = tableWords(MIN_SLOTS * SLOT_WORDS).fill(EMPTY);
  /** The same memory as bytes: the inline values. */
  private bytesView = Buffer.from(this.words.buffer);
  private slots = MIN_SLOTS;
  /** Slots not EMPTY (keys and deletion marks): what the load counts. */
  private used = 0;
  /** Keys held. */
  size = 0;

  /** Bytes held by the slots. */
  get bytes(): number {
    return this.words.byteLength;
  }

  /** Makes room for `keys` at once (a full build), instead of growing step by step. */
  reserve(keys: number): void {
    if (keys > this.slots * MAX_LOAD) this.rehash(keys);
  }

  /** The slot of the key in uuidWords, or -1. */
  find(): number {
    const w0 = uuidWords[0] as number;
    const w1 = uuidWords[1] as number;
    const w2 = uuidWords[2] as number;
    const w3 = uuidWords[3] as number;
    const slots = this.slots;
    const words = this.words;
    for (let i = this.home(hashWords(w0, w1, w2, w3)); ; i = i + 1 === slots ? 0 : i + 1) {
      const b = i * SLOT_WORDS;
      const value = words[b + VALUE_WORD] as number;
      if (value === EMPTY) return -1;
      if (value !== DELETED && words[b] === w0 && words[b + 1] === w1 && words[b + 2] === w2 && words[b + 3] === w3) return i;
    }
  }

  /** The first slot the key in uuidWords is looked for in: what touchSlots() reads ahead. */
  homeOf(): number {
    return this.home(hashWords(uuidWords[0] as number, uuidWords[1] as number, uuidWords[2] as number, uuidWords[3] as number));
  }

  /**
   * Loads the first and the last word of the first `count` slots of `slots` (homeOf()s) and
   * returns their sum: a prefetch written as loads, JavaScript having none. The loop does nothing
   * else, so the loads are in flight together and their cache misses overlap (a random account of
   * 1,000,000 is one); find() and the inline value's read then find cached lines. Both ends: a
   * 56-byte slot spans two cache lines 7 times in 8 (1M/one account 91.7% against 90.3% for the
   * value word alone, interleaved rounds). A load of one key at a time, between two keys' parsing,
   * stalled as long as find() would have: no gain (perf, dns/udp-batch.ts).
   */
  touchSlots(slots: Uint32Array, count: number): number {
    const words = this.words;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const b = (slots[i] as number) * SLOT_WORDS;
      sum = (sum + (words[b + VALUE_WORD] as number) + (words[b + SLOT_WORDS - 1] as number)) | 0;
    }
    return sum;
  }

  /** The number kept in a slot. */
  valueOf(slot: number): number {
    return this.words[slot * SLOT_WORDS + VALUE_WORD] as number;
  }

  /** Replaces the number kept in a slot (an arena offset or NO_VALUES: never a slot mark; INLINE through setInline). */
  setValue(slot: number, value: number): void {
    this.words[slot * SLOT_WORDS + VALUE_WORD] = value;
  }

  /** Makes the slot's value the digest `value` (isDigest) of `at` (value-arena.ts fitsAt): INLINE. */
  setInline(slot: number, value: string, at: number): void {
    const b = slot * SLOT_WORDS;
    this.words[b + VALUE_WORD] = INLINE;
    this.words[b + AT_WORD] = at;
    this.bytesView.write(value, slot * SLOT_BYTES + DIGEST_BYTE, DIGEST_BYTES, 'base64url');
  }

  /** The updated_at of an INLINE slot's value. */
  inlineAt(slot: number): number {
    return this.words[slot * SLOT_WORDS + AT_WORD] as number;
  }

  /** An INLINE slot's value as text. */
  inlineValue(slot: number): string {
    const from = slot * SLOT_BYTES + DIGEST_BYTE;
    return this.bytesView.toString('base64url', from, from + DIGEST_BYTES);
  }

  /** Writes an INLINE slot's value (43 octets) at `out[at]`. */
  writeInline(slot: number, out: Buffer, at: number): void {
    encodeDigest(this.bytesView, slot * SLOT_BYTES + DIGEST_BYTE, out, at);
  }

  /** Adds the key in uuidWords, known to be absent, with its number (an arena offset or NO_VALUES); its slot. */
  insert(value: number): number {
    if (this.used + 1 > this.slots * MAX_LOAD) this.rehash(this.size + 1);
    this.size++;
    return this.place(this.words, uuidWords[0] as number, uuidWords[1] as number, uuidWords[2] as number, uuidWords[3] as number, value);
  }

  /** Removes the key in uuidWords; its number, or undefined when it was absent. */
  remove(): number | undefined {
    const slot = this.find();
    if (slot < 0) return undefined;
    const value = this.valueOf(slot);
    // A mark, not EMPTY: keys placed further along this probe sequence must still be found.
    this.setValue(slot, DELETED);
    this.size--;
    return value;
  }

  /** Replaces every arena offset by `map(offset)` (the arena's compaction moves every record). */
  remap(map: (value: number) => number): void {
    const words = this.words;
    for (let b = VALUE_WORD; b < words.length; b += SLOT_WORDS) {
      const value = words[b] as number;
      if (value !== EMPTY && value !== DELETED && value !== INLINE) words[b] = map(value);
    }
  }

  /** The first slot of a hash's probe sequence: the hash scaled to the table (exact: both factors are below 2^32, the product's floor below `slots`). */
  private home(hash: number): number {
    return Math.floor((hash / HASH_RANGE) * this.slots);
  }

  /** Puts a key in the first free slot of its probe sequence (a deletion mark or an empty slot); the slot. */
  private place(words: Uint32Array, w0: number, w1: number, w2: number, w3: number, value: number): number {
    const slots = this.slots;
    let i = this.home(hashWords(w0, w1, w2, w3));
    for (;;) {
      const mark = words[i * SLOT_WORDS + VALUE_WORD];
      if (mark === EMPTY || mark === DELETED) break;
      i = i + 1 === slots ? 0 : i + 1;
    }
    const b = i * SLOT_WORDS;
    if (words[b + VALUE_WORD] === EMPTY) this.used++;
    words[b] = w0;
    words[b + 1] = w1;
    words[b + 2] = w2;
    words[b + 3] = w3;
    words[b + VALUE_WORD] = value;
    return i;
  }

  /** A table sized for `keys` at REHASH_LOAD, the keys (and inline values) placed again, deletion marks dropped. */
  private rehash(keys: number): void {
    const slots = Math.max(MIN_SLOTS, Math.ceil(keys / REHASH_LOAD));
    const old = this.words;
    this.words = tableWords(slots * SLOT_WORDS).fill(EMPTY);
    this.bytesView = Buffer.from(this.words.buffer);
    this.slots = slots;
    this.used = 0;
    for (let b = 0; b < old.length; b += SLOT_WORDS) {
      const value = old[b + VALUE_WORD] as number;
      if (value === EMPTY || value === DELETED) continue;
      const slot = this.place(this.words, old[b] as number, old[b + 1] as number, old[b + 2] as number, old[b + 3] as number, value);
      // The inline value's updated_at and bytes go with the key (copied whether INLINE or not).
      const to = slot * SLOT_WORDS;
      for (let w = AT_WORD; w < SLOT_WORDS; w++) this.words[to + w] = old[b + w] as number;
    }
  }
}
