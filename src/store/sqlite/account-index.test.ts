/**
 * The in-memory account index on its own: UUID keys in the table, other keys in the Map, values
 * filtered by age, and the same answers after deletions, growth and the arena's compaction.
 */
import { AccountIndex } from './account-index';
import { parseUuidKey, uuidWords } from './uuid-key';

const uuid = (i: number): string => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${(i * 7).toString(16).padStart(12, '0')}`;

test.each([
  ['0a6c2f43-7c1e-4b59-9d2b-1f0c3e5a7b90', true],
  ['0A6C2F43-7c1e-4b59-9d2b-1f0c3e5a7b90', false],
  ['0a6c2f43-7c1e-4b59-9d2b-1f0c3e5a7b9', false],
  ['0a6c2f43x7c1e-4b59-9d2b-1f0c3e5a7b90', false],
  ['0a6c2f43-7c1e-4b59-9d2b-1f0c3e5a7bg0', false],
  ['0a6c2f43-7c1e-4b59-9d2b-1f0c3e5a7b9\u0130', false],
])('%s is a canonical UUID key: %s', (key, canonical) => {
  expect(parseUuidKey(key)).toBe(canonical);
});

test('a UUID parses to its 16 bytes in order', () => {
  expect(parseUuidKey('01234567-89ab-cdef-0123-456789abcdef')).toBe(true);
  expect([...uuidWords]).toEqual([0x01234567, 0x89abcdef, 0x0123_4567, 0x89abcdef]);
});

test.each([['0a6c2f43-7c1e-4b59-9d2b-1f0c3e5a7b90'], ['plain'], ['0A6C2F43-7C1E-4B59-9D2B-1F0C3E5A7B90']])('%s: set, age cutoff, replace, delete', (key) => {
  const index = new AccountIndex();
  expect(index.get(key, 0)).toBeUndefined();
  index.set(key, [], []);
  expect(index.has(key)).toBe(true);
  expect(index.get(key, 0)).toEqual({ values: [] });
  index.set(key, ['new', 'old'], [20, 10]);
  expect(index.get(key, -Infinity)).toEqual({ values: ['new', 'old'] });
  expect(index.get(key, 15)).toEqual({ values: ['new'] });
  expect(index.get(key, 25)).toEqual({ values: [] });
  expect(index.values(key)).toEqual({ values: ['new', 'old'], at: [20, 10] });
  index.set(key, ['ünïcode ☃'], [30]);
  expect(index.get(key, 0)).toEqual({ values: ['ünïcode ☃'] });
  expect(index.size).toBe(1);
  index.delete(key);
  expect(index.has(key)).toBe(false);
  expect(index.get(key, 0)).toBeUndefined();
  expect(index.size).toBe(0);
});

test('a value too long for the arena keeps its account in the Map, and back in the table once it fits', () => {
  const index = new AccountIndex();
  const key = uuid(1);
  const long = 'x'.repeat(70_000);
  index.set(key, [long], [1]);
  expect(index.get(key, 0)).toEqual({ values: [long] });
  index.set(key, ['short'], [2]);
  expect(index.get(key, 0)).toEqual({ values: ['short'] });
  index.delete(key);
  expect(index.has(key)).toBe(false);
});

test('30,000 accounts through growth and deletions (their marks reused) answer as a Map does', () => {
  const index = new AccountIndex();
  const expected = new Map<string, string[]>();
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 30_000; i++) {
      const key = uuid(i);
      if (i % 3 === round) {
        index.delete(key);
        expected.delete(key);
      } else {
        const values = [`v${round}-${i}-${'a'.repeat(i % 50)}`];
        index.set(key, values, [round]);
        expected.set(key, values);
      }
    }
  }
  expect(index.size).toBe(expected.size);
  let same = 0;
  for (let i = 0; i < 30_000; i++) {
    const want = expected.get(uuid(i));
    if (JSON.stringify(index.get(uuid(i), 0)) === JSON.stringify(want && { values: want })) same++;
  }
  expect(same).toBe(30_000);
});

test('values rewritten many times: the arena is compacted, so memory follows the live values', () => {
  const index = new AccountIndex();
  // 10,000 accounts, 50 rewrites of ~52 bytes: 26 MB written, ~0.5 MB live.
  for (let round = 0; round < 50; round++) for (let i = 0; i < 10_000; i++) index.set(uuid(i), [`${round}`.padEnd(40, 'x')], [round]);
  expect(index.get(uuid(9_999), 0)).toEqual({ values: ['49'.padEnd(40, 'x')] });
  expect(index.bytes).toBeLessThan(5 * 2 ** 20);
});

test('addNewer keeps the newest `keep` in updated_at order, a later row first among equals', () => {
  const index = new AccountIndex();
  const key = uuid(5);
  index.addAccount(key);
  for (const [value, at] of [['x', 30], ['y', 40], ['z', 30], ['w', 40], ['old', 1]] as const) index.addNewer(key, value, at, 3);
  expect(index.values(key)).toEqual({ values: ['w', 'y', 'z'], at: [40, 40, 30] });
  index.addNewer('no-account', 'v', 1, 3);
  expect(index.has('no-account')).toBe(false);
});
