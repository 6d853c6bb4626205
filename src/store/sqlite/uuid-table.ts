/**
 * The UUID keys of the in-memory account index (account-index.ts): an open-addressing hash table
 * (linear probing, at most 60% of slots used) whose slots hold the key itself, five words each: the
 * key's 16 bytes, then where the account's values start in the value arena (or a slot mark). ~40
 * bytes per key at 1,000,000, against ~150 for the same key as a string in a Map. A lookup reads
 * one slot (one cache line, seldom two): with the key in a separate array of entries, each lookup
 * of a random account of 1,000,000 cost two dependent cache misses instead of one (find: 370 ns
 * against 60 ns for 20,000 accounts, measured). Every method works on the key last parsed into
 * uuidWords; a slot number is valid until the next insert.
 */
import { hashWords, uuidWords } from './uuid-key';

/** Slot marks, in the value word: never a value (value-arena.ts MAX_OFFSET keeps every offset below them). */
const EMPTY = 0xfffffffe;
const DELETED = 0xfffffffd;
/** Words per slot: the key's four, then the value. */
const SLOT_WORDS = 5;
/** The table is grown (or cleaned of deletion marks) beyond this share of used slots. */
const MAX_LOAD = 0.6;
const MIN_SLOTS = 1024;

/** Keys and, per key, one number (the offset of its values). */
export class UuidTable {
  private words = new Uint32Array(MIN_SLOTS * SLOT_WORDS).fill(EMPTY);
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
    const mask = this.slots - 1;
    const words = this.words;
    for (let i = hashWords(w0, w1, w2, w3) & mask; ; i = (i + 1) & mask) {
      const b = i * SLOT_WORDS;
      const value = words[b + 4] as number;
      if (value === EMPTY) return -1;
      if (value !== DELETED && words[b] === w0 && words[b + 1] === w1 && words[b + 2] === w2 && words[b + 3] === w3) return i;
    }
  }

  /** The number kept in a slot. */
  valueOf(slot: number): number {
    return this.words[slot * SLOT_WORDS + 4] as number;
  }

  /** Replaces the number kept in a slot (an arena offset or NO_VALUES: never a slot mark). */
  setValue(slot: number, value: number): void {
    this.words[slot * SLOT_WORDS + 4] = value;
  }

  /** Adds the key in uuidWords, known to be absent, with its number (an arena offset or NO_VALUES). */
  insert(value: number): void {
    if (this.used + 1 > this.slots * MAX_LOAD) this.rehash(this.size + 1);
    this.place(uuidWords[0] as number, uuidWords[1] as number, uuidWords[2] as number, uuidWords[3] as number, value);
    this.size++;
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

  /** Replaces every key's number by `map(number)` (the arena's compaction moves every record). */
  remap(map: (value: number) => number): void {
    const words = this.words;
    for (let b = 4; b < words.length; b += SLOT_WORDS) {
      const value = words[b] as number;
      if (value !== EMPTY && value !== DELETED) words[b] = map(value);
    }
  }

  /** Puts a key in the first free slot of its probe sequence (a deletion mark or an empty slot). */
  private place(w0: number, w1: number, w2: number, w3: number, value: number): void {
    const mask = this.slots - 1;
    const words = this.words;
    let i = hashWords(w0, w1, w2, w3) & mask;
    for (;;) {
      const mark = words[i * SLOT_WORDS + 4];
      if (mark === EMPTY || mark === DELETED) break;
      i = (i + 1) & mask;
    }
    const b = i * SLOT_WORDS;
    if (words[b + 4] === EMPTY) this.used++;
    words[b] = w0;
    words[b + 1] = w1;
    words[b + 2] = w2;
    words[b + 3] = w3;
    words[b + 4] = value;
  }

  /** A table sized for `keys` at half load at most, the keys placed again (deletion marks dropped). */
  private rehash(keys: number): void {
    let slots = MIN_SLOTS;
    while (slots * (MAX_LOAD / 1.2) < keys) slots *= 2;
    const old = this.words;
    this.words = new Uint32Array(slots * SLOT_WORDS).fill(EMPTY);
    this.slots = slots;
    this.used = 0;
    for (let b = 0; b < old.length; b += SLOT_WORDS) {
      const value = old[b + 4] as number;
      if (value !== EMPTY && value !== DELETED) this.place(old[b] as number, old[b + 1] as number, old[b + 2] as number, old[b + 3] as number, value);
    }
  }
}
