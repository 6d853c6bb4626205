/**
 * The in-memory account index on its own: UUID keys in the table, other keys in the Map, values
 * filtered by age, and the same answers after deletions, growth and the arena's compaction.
 */
import { AccountIndex } from './account-index';
import { INLINE, UuidTable } from './uuid-table';
import { HUGE_FROM_BYTES } from './huge-memory';
import { parseUuidKey, uuidWords } from './uuid-key';

const uuid = (i: number): string => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${(i * 7).toString(16).padStart(12, '0')}`;

/**
 * 30,000 accounts through `rounds` rounds: in round r, account i is deleted when i % rounds is r,
 * else set to what `valuesOf(i, r)` gives ([values, updated_at]); then every account reads back as
 * a Map given the same steps says.
 */
function churnAgainstMap(rounds: number, valuesOf: (i: number, round: number) => [string[], number[]]): void {
  const index = new AccountIndex();
  const expected = new Map<string, string[]>();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < 30_000; i++) {
      const key = uuid(i);
      if (i % rounds === round) {
        index.delete(key);
        expected.delete(key);
      } else {
        const [values, at] = valuesOf(i, round);
        index.set(key, values, at);
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
}

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
  churnAgainstMap(3, (i, round) => [[`v${round}-${i}-${'a'.repeat(i % 50)}`], [round]]);
});

test('120,000 accounts: the table grows past HUGE_FROM_BYTES into huge-page memory, every account kept through each move', () => {
  const index = new AccountIndex();
  const digest = (i: number): string => Buffer.alloc(32, i % 256).toString('base64url');
  for (let i = 0; i < 120_000; i++) index.set(uuid(i), [digest(i)], [i]);
  for (let i = 0; i < 120_000; i += 3) index.delete(uuid(i));
  expect(index.bytes).toBeGreaterThan(HUGE_FROM_BYTES);
  let right = 0;
  for (let i = 0; i < 120_000; i++) {
    const want = i % 3 === 0 ? undefined : { values: [digest(i)], at: [i] };
    if (JSON.stringify(index.values(uuid(i))) === JSON.stringify(want)) right++;
  }
  expect(right).toBe(120_000);
});

test('values rewritten many times: the arena is compacted, so memory follows the live values', () => {
  const index = new AccountIndex();
  // 10,000 accounts, 50 rewrites of ~52 bytes: 26 MB written, ~0.5 MB live.
  for (let round = 0; round < 50; round++) for (let i = 0; i < 10_000; i++) index.set(uuid(i), [`${round}`.padEnd(40, 'x')], [round]);
  expect(index.get(uuid(9_999), 0)).toEqual({ values: ['49'.padEnd(40, 'x')] });
  expect(index.bytes).toBeLessThan(5 * 2 ** 20);
});

describe('one ACME digest: kept inline in the account\'s slot', () => {
  const digest = (n: number): string => Buffer.alloc(32, n).toString('base64url');

  test('set, age cutoff, to several values and back, delete: each read as with the arena', () => {
    const index = new AccountIndex();
    const key = uuid(7);
    index.set(key, [digest(1)], [20]);
    expect(index.get(key, 20)).toEqual({ values: [digest(1)] });
    expect(index.get(key, 21)).toEqual({ values: [] });
    expect(index.values(key)).toEqual({ values: [digest(1)], at: [20] });
    index.set(key, [digest(2), digest(1)], [30, 20]);
    expect(index.get(key, 25)).toEqual({ values: [digest(2)] });
    expect(index.values(key)).toEqual({ values: [digest(2), digest(1)], at: [30, 20] });
    index.set(key, [digest(3)], [40]);
    expect(index.values(key)).toEqual({ values: [digest(3)], at: [40] });
    index.set(key, [`${digest(3).slice(0, 42)}B`], [50]);
    expect(index.get(key, 0)).toEqual({ values: [`${digest(3).slice(0, 42)}B`] });
    index.set(key, [digest(4)], [2 ** 32]);
    expect(index.values(key)).toEqual({ values: [digest(4)], at: [2 ** 32] });
    index.set(key, [digest(5)], [60]);
    expect(index.get(key, 0)).toEqual({ values: [digest(5)] });
    index.delete(key);
    expect(index.get(key, 0)).toBeUndefined();
    expect(index.size).toBe(0);
  });

  test('addNewer at a build puts the first digest inline, a second one beside it', () => {
    const index = new AccountIndex();
    const key = uuid(8);
    index.addAccount(key);
    index.addNewer(key, digest(1), 10, 2);
    expect(index.values(key)).toEqual({ values: [digest(1)], at: [10] });
    index.addNewer(key, digest(2), 20, 2);
    expect(index.values(key)).toEqual({ values: [digest(2), digest(1)], at: [20, 10] });
  });

  test('30,000 accounts of one digest, through growth, deletions, compaction of the others: as a Map', () => {
    churnAgainstMap(4, (i, round) => {
      // Every fifth account has two values (the arena); the arena's garbage makes it compact.
      const values = i % 5 === 0 ? [digest(round), `text-${i}-${round}`.padEnd(200, 'x')] : [digest((i + round) % 256)];
      return [values, values.map((_, j) => 100 - j)];
    });
  });
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

describe('writeSole: the key read in place, the one value written into a reply', () => {
  const key = '0a6c2f43-7c1e-4b59-9d2b-1f0c3e5a7b90';
  /** The key inside a longer message, as the reply replay passes it (a query's octets). */
  const octets = (k: string): Buffer => Buffer.from(`\u0000\u0024${k}\u0004auth`, 'latin1');
  const sole = (index: AccountIndex, k: string, cutoff: number, length: number): string | false => {
    const out = Buffer.alloc(length);
    return index.writeSole(octets(k), 2, cutoff, length, out, 0) && out.toString('utf8');
  };

  test('the account of a canonical UUID with one live value of the length asked', () => {
    const index = new AccountIndex();
    index.set(key, ['new', 'older'], [20, 10]);
    expect(sole(index, key, 15, 3)).toBe('new');
    expect(sole(index, key, 5, 3)).toBe(false);
    expect(sole(index, key, 15, 4)).toBe(false);
  });

  test('upper-case hex (a 0x20 spelling) is the same account', () => {
    const index = new AccountIndex();
    index.set(key, ['v'], [1]);
    expect(sole(index, key.toUpperCase(), -Infinity, 1)).toBe('v');
    expect(sole(index, key.replace(/[a-f]/, 'G'), -Infinity, 1)).toBe(false);
  });

  test.each<[string, (index: AccountIndex) => void, string, number]>([
    ['no account', () => undefined, key, 1],
    ['an account without values', (index) => index.set(key, [], []), key, 0],
    ['a 36-character key that is no canonical UUID (the Map holds it)', (index) => index.set('z'.repeat(36), ['v'], [1]), 'z'.repeat(36), 1],
    ['a value the arena cannot hold (the Map holds it)', (index) => index.set(key, ['x'.repeat(70_000)], [1]), key, 70_000],
  ])('%s: false, get() decides', (_what, fill, asked, length) => {
    const index = new AccountIndex();
    fill(index);
    expect(sole(index, asked, -Infinity, length)).toBe(false);
  });

  test('3,000 accounts of 0 to 3 values: true exactly when get() gives one value of that length, with its bytes', () => {
    const index = new AccountIndex();
    const digest = (i: number): string => Buffer.alloc(32, i).toString('base64url');
    for (let i = 0; i < 3000; i++) {
      const values = [digest(i), `text-${i}`, 'x'.repeat(43)].slice(0, i % 4);
      index.set(uuid(i), values, values.map((_, j) => 100 - j * 10));
    }
    let written = 0;
    for (let i = 0; i < 3000; i++) {
      for (const cutoff of [-Infinity, 95, 85]) {
        const live = index.get(uuid(i), cutoff)?.values ?? [];
        for (const length of [43, `text-${i}`.length]) {
          const want = live.length === 1 && Buffer.byteLength(live[0] as string) === length ? live[0] : false;
          expect(sole(index, uuid(i), cutoff, length)).toBe(want);
          if (want !== false) written++;
        }
      }
    }
    expect(written).toBeGreaterThan(2000);
  });
});

describe('absentAt: a label no account has, known without a string', () => {
  const key = '0a6c2f43-7c1e-4b59-9d2b-1f0c3e5a7b90';
  const absent = (index: AccountIndex, label: string): boolean => index.absentAt(Buffer.from(`\u0000\u0024${label}\u0004auth`, 'latin1'), 2, Buffer.byteLength(label, 'latin1'));

  test('true for a label that is no UUID and a UUID not held; false for an account, of any case and with or without values', () => {
    const index = new AccountIndex();
    index.set(key, ['v'], [1]);
    index.set('1a6c2f43-7c1e-4b59-9d2b-1f0c3e5a7b90', [], []);
    expect(absent(index, 'nx-0123456789abcdef')).toBe(true);
    expect(absent(index, '2a6c2f43-7c1e-4b59-9d2b-1f0c3e5a7b90')).toBe(true);
    expect(absent(index, key)).toBe(false);
    expect(absent(index, key.toUpperCase())).toBe(false);
    expect(absent(index, '1A6C2F43-7c1e-4b59-9d2b-1f0c3e5a7b90')).toBe(false);
    index.delete(key);
    expect(absent(index, key)).toBe(true);
  });

  test('a key kept as a string (no UUID) is found from the octets of either case', () => {
    const index = new AccountIndex();
    index.set('not-a-uuid', ['v'], [1]);
    expect(absent(index, 'not-a-uuid')).toBe(false);
    expect(absent(index, 'NOT-a-UUID')).toBe(false);
    expect(absent(index, 'nx-0123456789abcdef')).toBe(true);
    expect(absent(index, '2a6c2f43-7c1e-4b59-9d2b-1f0c3e5a7b90')).toBe(true);
  });
});

describe('touchAll: the reads ahead of a batch of queries (dns/udp-batch.ts)', () => {
  const queryOf = (label: string): Buffer => Buffer.from(`\u0000\u0024${label}\u0004auth`, 'latin1');

  test("a held key's home slot is read: its value word and its last word (the inline value's end) come back", () => {
    const table = new UuidTable();
    // Keys whose first slot is their own (no collision), so the words read are theirs.
    const placed: [number, number][] = [];
    for (let i = 0; placed.length < 20; i++) {
      parseUuidKey(uuid(i));
      const slot = table.insert(1000 + i);
      if (slot === table.homeOf()) placed.push([slot, 1000 + i]);
    }
    const slots = Uint32Array.from(placed.map(([slot]) => slot));
    // No inline value yet: the last word is still the fill's EMPTY mark.
    const EMPTY = 0xfffffffe;
    expect(table.touchSlots(slots, slots.length)).toBe(placed.reduce((sum, [, value]) => (sum + value + EMPTY) | 0, 0));
    const [slot] = placed[0] as [number, number];
    const digest = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 3));
    table.setInline(slot, digest.toString('base64url'), 5);
    // The digest's last 4 bytes as the table's words hold them (the platform's byte order).
    const lastWord = new Uint32Array(Uint8Array.from(digest.subarray(28)).buffer)[0] as number;
    expect(table.touchSlots(slots, 1)).toBe((INLINE + lastWord) | 0);
  });

  test('100 labels (more than it loads at once) read what each alone reads; no UUID, or another length, reads nothing; nothing changes', () => {
    const index = new AccountIndex();
    for (let i = 0; i < 300; i++) index.set(uuid(i), i % 2 === 0 ? [`v${i}`] : [], i % 2 === 0 ? [1] : []);
    const labels = Array.from({ length: 100 }, (_, i) => (i % 10 === 9 ? `nx-${i}-not-a-uuid-but-36-octets-long!`.slice(0, 36) : uuid(i * 5)));
    const queries = labels.map(queryOf);
    const alone = queries.reduce((sum, q) => (sum + index.touchAll([q], 2, 36)) | 0, 0);
    expect(index.touchAll(queries, 2, 36)).toBe(alone);
    expect(alone).not.toBe(0);
    expect(index.touchAll(queries.filter((_, i) => i % 10 === 9), 2, 36)).toBe(0);
    expect(index.touchAll(queries, 2, 35)).toBe(0);
    for (let i = 0; i < 300; i++) expect(index.get(uuid(i), 0)).toEqual({ values: i % 2 === 0 ? [`v${i}`] : [] });
  });
});
