import { BloomFilter } from './bloom';

test('every key added is "maybe", and about 1% of others at capacity are', () => {
  const filter = new BloomFilter(100_000);
  for (let i = 0; i < 100_000; i++) filter.add(`account-${i}`);
  for (let i = 0; i < 100_000; i++) expect(filter.mayHave(`account-${i}`)).toBe(true);
  let falsePositives = 0;
  for (let i = 0; i < 100_000; i++) if (filter.mayHave(`nx-${i.toString(16).padStart(16, '0')}.auth.example.org`)) falsePositives++;
  // Bloom's bound for 10 bits and 7 hashes per key is 0.82% (a little more in 512-bit blocks); a
  // weak hash, or bits outside the block, would be far above it.
  expect(falsePositives).toBeLessThan(1500);
  expect(falsePositives).toBeGreaterThan(0);
  // 1,000,000 bits in 64-byte blocks.
  expect(filter.bytes).toBe(125_056);
});

test('an empty filter says no; keys differing in one character are told apart', () => {
  const filter = new BloomFilter(4096);
  expect(filter.mayHave('')).toBe(false);
  filter.add('abc');
  expect(filter.mayHave('abc')).toBe(true);
  expect(filter.mayHave('abd')).toBe(false);
  expect(filter.mayHave('ABC')).toBe(false);
});
