/**
 * The value arena's records: every value read back as written (ACME digests as 32 bytes, others
 * as UTF-8 with a short or a u16 length), filtered by age, copied by compaction, and undefined for
 * what its fields cannot hold (the index then keeps the account as strings).
 */
import crypto from 'node:crypto';
import { NO_VALUES, ValueArena } from './value-arena';

const digest = crypto.createHash('sha256').update('key authorization').digest('base64url');

test.each([
  ['an ACME value (base64url of 32 bytes)', digest, 1 + 5 + 32],
  ['43 characters whose last one carries more than 2 bits: not a canonical digest', `${digest.slice(0, 42)}B`, 1 + 5 + 43],
  ['43 characters of standard base64', `${digest.slice(0, 41)}+/`, 1 + 5 + 43],
  ['42 characters', digest.slice(0, 42), 1 + 5 + 42],
  ['one character', 'x', 1 + 5 + 1],
  ['UTF-8', 'ünïcode ☃', 1 + 5 + 13],
  ['253 bytes: the length in the tag', 'a'.repeat(253), 1 + 5 + 253],
  ['254 bytes: a u16 length', 'a'.repeat(254), 1 + 5 + 2 + 254],
  ['4096 bytes (RFC 2136 allows them)', 'b'.repeat(4096), 1 + 5 + 2 + 4096],
  ['65535 bytes', 'c'.repeat(65535), 1 + 5 + 2 + 65535],
])('%s: read back, %i bytes', (_what, value, size) => {
  const arena = new ValueArena(16);
  const offset = arena.write([value], [1_700_000_000]) as number;
  expect(arena.written).toBe(size);
  expect(arena.read(offset, 0)).toEqual([value]);
  expect(arena.decode(offset)).toEqual({ values: [value], at: [1_700_000_000] });
});

test.each([
  ['a value over 65535 bytes', ['d'.repeat(65536)], [1]],
  ['a fractional updated_at', [digest], [1.5]],
  ['a negative updated_at', [digest], [-1]],
  ['an updated_at past u32', [digest], [2 ** 32]],
  ['more than 255 values', Array.from({ length: 256 }, (_, i) => `v${i}`), Array.from({ length: 256 }, () => 1)],
])('%s: undefined (kept as strings by the index)', (_what, values, at) => {
  const arena = new ValueArena();
  expect(arena.write(values, at)).toBeUndefined();
  expect(arena.written).toBe(0);
});

test('several values: newest first, the age cutoff a prefix; compaction copies the record whole', () => {
  const arena = new ValueArena(8);
  expect(arena.write([], [])).toBe(NO_VALUES);
  const values = [digest, 'a'.repeat(300), 'short', `${digest.slice(0, 42)}A`];
  const at = [40, 30, 20, 0];
  arena.write(['garbage before'], [1]);
  const offset = arena.write(values, at) as number;
  expect(arena.read(offset, 0)).toEqual(values);
  expect(arena.read(offset, 25)).toEqual(values.slice(0, 2));
  expect(arena.read(offset, 41)).toEqual([]);
  const next = new ValueArena(8);
  const moved = arena.copyTo(next, offset);
  expect(next.decode(moved)).toEqual({ values, at });
  arena.release(offset);
  expect(arena.garbage).toBe(next.written);
});

test('100 values (txt.keep at most), digests and text mixed past the 31st', () => {
  const arena = new ValueArena(8);
  const values = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? crypto.createHash('sha256').update(String(i)).digest('base64url') : `text ${i}`));
  const at = values.map((_, i) => 1000 - i);
  const offset = arena.write(values, at) as number;
  expect(arena.decode(offset)).toEqual({ values, at });
});

describe('writeSole: the one value an answer needs, written into a reply', () => {
  /** `out` around the write: 0xee before and after, so a write out of place shows. */
  const OUT = 64;
  const written = (arena: ValueArena, offset: number, cutoff: number, length: number): string | false => {
    const out = Buffer.alloc(OUT + 300, 0xee);
    if (!arena.writeSole(offset, cutoff, length, out, OUT)) return false;
    expect(out.subarray(0, OUT).every((b) => b === 0xee)).toBe(true);
    expect(out.subarray(OUT + length).every((b) => b === 0xee)).toBe(true);
    return out.toString('utf8', OUT, OUT + length);
  };
  const text43 = `${digest.slice(0, 42)}B`;

  test.each<[string, string[], number[], number, number, string | false]>([
    ['a digest', [digest], [10], -Infinity, 43, digest],
    ['a digest asked at another length', [digest], [10], -Infinity, 42, false],
    ['43 characters kept as text', [text43], [10], -Infinity, 43, text43],
    ['a short value', ['short'], [10], -Infinity, 5, 'short'],
    ['a short value asked at another length', ['short'], [10], -Infinity, 43, false],
    ['a value with a u16 length', ['a'.repeat(300)], [10], -Infinity, 255, false],
    ['UTF-8', ['ünïcode ☃'], [10], -Infinity, 13, 'ünïcode ☃'],
    ['two live values', [digest, 'old'], [20, 10], -Infinity, 43, false],
    ['two values, the older aged out', [digest, 'old'], [20, 10], 15, 43, digest],
    ['the newer as old as the cutoff, the older aged out', [digest, 'old'], [15, 10], 15, 43, digest],
    ['every value aged out', [digest], [10], 11, 43, false],
  ])('%s', (_what, values, at, cutoff, length, want) => {
    const arena = new ValueArena(8);
    arena.write(['garbage before'], [1]);
    const offset = arena.write(values, at) as number;
    expect(written(arena, offset, cutoff, length)).toBe(want);
  });

  test('a u16-length value of the asked length is copied', () => {
    const arena = new ValueArena(8);
    const offset = arena.write(['b'.repeat(280)], [1]) as number;
    expect(written(arena, offset, 0, 280)).toBe('b'.repeat(280));
  });

  test("2,000 random digests: the bytes are Node's base64url of them", () => {
    const arena = new ValueArena(8);
    for (let i = 0; i < 2000; i++) {
      const value = crypto.randomBytes(32).toString('base64url');
      const offset = arena.write([value], [1]) as number;
      expect(written(arena, offset, 0, 43)).toBe(value);
    }
  });
});
