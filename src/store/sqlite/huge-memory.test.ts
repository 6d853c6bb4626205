/**
 * The UUID table's memory (huge-memory.ts): small tables on the heap, large ones from the addon's
 * huge-page mapping (native/shm-map, built by `npm ci`), zeroed either way; bad lengths refused.
 */
import fs from 'node:fs';
import { HUGE_FROM_BYTES, tableWords } from './huge-memory';
import { nativeAddon } from './native-addon';

/** Kilobytes of this process's anonymous memory in transparent huge pages. */
function anonHugeKb(): number {
  const match = /AnonHugePages:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/smaps_rollup', 'utf8'));
  return Number(match?.[1] ?? NaN);
}

/** The kernel's THP mode: the bracketed word of `always [madvise] never`; `never` on a kernel without THP. */
function thpMode(): string {
  const file = '/sys/kernel/mm/transparent_hugepage/enabled';
  if (!fs.existsSync(file)) return 'never';
  return /\[(\w+)\]/.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? 'never';
}

test('a table below the threshold is a plain zeroed array of the length asked', () => {
  const words = tableWords(1024);
  expect(words.length).toBe(1024);
  expect(words.every((w) => w === 0)).toBe(true);
});

test('a large table is zeroed, writable to its last word, and in huge pages unless THP is off', () => {
  const length = (HUGE_FROM_BYTES * 2) / 4;
  const before = anonHugeKb();
  const words = tableWords(length);
  expect(words.length).toBe(length);
  expect(words.every((w) => w === 0)).toBe(true);
  words.fill(0xfffffffe);
  expect(words[length - 1]).toBe(0xfffffffe);
  // 16 MiB at a 2 MiB boundary: all of it in huge pages (the kernel may leave one out when memory is fragmented).
  if (thpMode() !== 'never') expect(anonHugeKb() - before).toBeGreaterThanOrEqual((HUGE_FROM_BYTES * 2 - (2 << 20)) / 1024);
});

test.each([0, -1, 'x', undefined])('the addon refuses the length %p with a TypeError', (length) => {
  const addon = nativeAddon();
  expect(addon).not.toBeNull();
  const mapHuge = addon?.mapHuge as (length: unknown) => ArrayBuffer;
  // A TypeError of the addon's realm, not jest's: compared by name.
  expect(() => mapHuge(length)).toThrow(expect.objectContaining({ name: 'TypeError', message: 'mapHuge(length): a positive length' }));
});
