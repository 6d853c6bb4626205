/**
 * A Bloom filter over strings: "certainly absent" or "maybe present", never a wrong "absent" for
 * a string that was added. The DNS reads use it so a name without an account (a random-subdomain
 * flood: every name new) is answered without a SQLite read (account-filter.ts).
 */

/** Bits per expected key: with K hashes, ~0.8% false positives at capacity (Bloom's (1 - e^(-k/b))^k). */
export const BITS_PER_KEY = 10;
/** Hashes per key: the optimum for 10 bits per key is 10 * ln 2 = 6.9. */
const HASHES = 7;

export class BloomFilter {
  private readonly words: Uint32Array;
  private readonly bits: number;
  /** Keys added (a key added twice counts twice: the caller only uses it to decide when to grow). */
  added = 0;

  constructor(readonly capacity: number) {
    // A whole number of 32-bit words, at least one.
    this.words = new Uint32Array(Math.max(1, Math.ceil((capacity * BITS_PER_KEY) / 32)));
    this.bits = this.words.length * 32;
  }

  /** Memory held, for the report of its size. */
  get bytes(): number {
    return this.words.byteLength;
  }

  add(key: string): void {
    hashes(key);
    let h = h1 % this.bits;
    // Kirsch-Mitzenmacher double hashing: bit i = h1 + i * h2 (mod bits) is as good as k independent hashes.
    const step = h2 % this.bits;
    for (let i = 0; i < HASHES; i++) {
      this.words[h >>> 5] = (this.words[h >>> 5] as number) | (1 << (h & 31));
      h += step;
      if (h >= this.bits) h -= this.bits;
    }
    this.added++;
  }

  mayHave(key: string): boolean {
    hashes(key);
    let h = h1 % this.bits;
    const step = h2 % this.bits;
    for (let i = 0; i < HASHES; i++) {
      if (((this.words[h >>> 5] as number) & (1 << (h & 31))) === 0) return false;
      h += step;
      if (h >= this.bits) h -= this.bits;
    }
    return true;
  }
}

// The two hashes of the last key, in module variables so hashing allocates nothing on the hot path.
let h1 = 0;
let h2 = 0;

/**
 * FNV-1a over the UTF-16 code units, finished with murmur3's fmix32 so every input bit reaches the
 * low bits the modulo keeps; the step is a second mix of it, made odd so it never sits still. Two
 * keys with the same 32-bit hash share every bit, a floor of (keys / 2^32) on the false positives:
 * 0.02% at 1,000,000 accounts, far below the filter's own ~1%, for half the work of a second pass.
 */
function hashes(key: string): void {
  let a = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) a = Math.imul(a ^ key.charCodeAt(i), 0x01000193);
  h1 = fmix(a);
  h2 = (fmix(h1 ^ 0x9747b28c) | 1) >>> 0;
}

function fmix(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
