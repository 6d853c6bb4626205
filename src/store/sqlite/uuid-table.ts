/**
 * The UUID keys of the in-memory account index (account-index.ts): an open-addressing hash table
 * (linear probing, at most 60% of slots used) of entry numbers in an Int32Array, and the entries
 * in a Uint32Array of five words each: the key's 16 bytes, then where the account's values start
 * in the value arena. ~28 bytes per key at 1,000,000 (8 in slots, 20 in the entry), against ~150
 * for the same key as a string in a Map. Every method works on the key last parsed into uuidWords.
 */
import { hashWords, uuidWords } from './uuid-key';

const EMPTY = -1;
const DELETED = -2;
/** Words per entry: the key's four, then the values' offset. */
const ENTRY_WORDS = 5;
/** The table is grown (or cleaned of deletion marks) beyond this share of used slots. */
const MAX_LOAD = 0.6;
const MIN_SLOTS = 1024;

/** Keys and, per key, one number (the offset of its values). */
export class UuidTable {
  private slots = new Int32Array(MIN_SLOTS).fill(EMPTY);
  private entries = new Uint32Array(MIN_SLOTS * ENTRY_WORDS);
  private entryCount = 0;
  private readonly freeEntries: number[] = [];
  /** Slots not EMPTY (entries and deletion marks): what the load counts. */
  private used = 0;
  /** Keys held. */
  size = 0;

  /** Bytes held by the two arrays. */
  get bytes(): number {
    return this.slots.byteLength + this.entries.byteLength;
  }

  /** Makes room for `keys` at once (a full build), instead of growing step by step. */
  reserve(keys: number): void {
    if (keys * ENTRY_WORDS > this.entries.length) this.growEntries(keys);
    if (keys > this.slots.length * MAX_LOAD) this.rehash(keys);
  }

  /** The entry of the key in uuidWords, or -1. */
  find(): number {
    const w0 = uuidWords[0] as number;
    const w1 = uuidWords[1] as number;
    const w2 = uuidWords[2] as number;
    const w3 = uuidWords[3] as number;
    const mask = this.slots.length - 1;
    const entries = this.entries;
    for (let i = hashWords(w0, w1, w2, w3) & mask; ; i = (i + 1) & mask) {
      const e = this.slots[i] as number;
      if (e === EMPTY) return -1;
      if (e >= 0) {
        const b = e * ENTRY_WORDS;
        if (entries[b] === w0 && entries[b + 1] === w1 && entries[b + 2] === w2 && entries[b + 3] === w3) return e;
      }
    }
  }

  /** The number kept with an entry. */
  valueOf(entry: number): number {
    return this.entries[entry * ENTRY_WORDS + 4] as number;
  }

  setValue(entry: number, value: number): void {
    this.entries[entry * ENTRY_WORDS + 4] = value;
  }

  /** Adds the key in uuidWords, known to be absent, with its number. */
  insert(value: number): void {
    if (this.used + 1 > this.slots.length * MAX_LOAD) this.rehash(this.size + 1);
    let entry = this.freeEntries.pop();
    if (entry === undefined) {
      if ((this.entryCount + 1) * ENTRY_WORDS > this.entries.length) this.growEntries(Math.ceil((this.entryCount + 1) * 1.5));
      entry = this.entryCount++;
    }
    const b = entry * ENTRY_WORDS;
    this.entries.set(uuidWords, b);
    this.entries[b + 4] = value;
    this.place(entry);
    this.size++;
  }

  /** Removes the key in uuidWords; its number, or undefined when it was absent. */
  remove(): number | undefined {
    const entry = this.find();
    if (entry < 0) return undefined;
    const mask = this.slots.length - 1;
    const b = entry * ENTRY_WORDS;
    let i = hashWords(this.entries[b] as number, this.entries[b + 1] as number, this.entries[b + 2] as number, this.entries[b + 3] as number) & mask;
    while (this.slots[i] !== entry) i = (i + 1) & mask;
    // A mark, not EMPTY: keys placed further along this probe sequence must still be found.
    this.slots[i] = DELETED;
    this.freeEntries.push(entry);
    this.size--;
    return this.valueOf(entry);
  }

  /** Replaces every entry's number by `map(number)` (the arena's compaction moves every record). */
  remap(map: (value: number) => number): void {
    for (const entry of this.slots) if (entry >= 0) this.setValue(entry, map(this.valueOf(entry)));
  }

  /** Puts an entry in the first free slot of its probe sequence (a deletion mark or an empty slot). */
  private place(entry: number): void {
    const b = entry * ENTRY_WORDS;
    const mask = this.slots.length - 1;
    let i = hashWords(this.entries[b] as number, this.entries[b + 1] as number, this.entries[b + 2] as number, this.entries[b + 3] as number) & mask;
    while ((this.slots[i] as number) >= 0) i = (i + 1) & mask;
    if (this.slots[i] === EMPTY) this.used++;
    this.slots[i] = entry;
  }

  private growEntries(keys: number): void {
    const next = new Uint32Array(keys * ENTRY_WORDS);
    next.set(this.entries.subarray(0, this.entryCount * ENTRY_WORDS));
    this.entries = next;
  }

  /** A table sized for `keys` at half load at most, the entries placed again (deletion marks dropped). */
  private rehash(keys: number): void {
    let size = MIN_SLOTS;
    while (size * (MAX_LOAD / 1.2) < keys) size *= 2;
    const old = this.slots;
    this.slots = new Int32Array(size).fill(EMPTY);
    this.used = 0;
    for (const entry of old) if (entry >= 0) this.place(entry);
  }
}
