/**
 * Memory for the account index's UUID table (uuid-table.ts) in 2 MiB pages. A query for a random
 * account of 1,000,000 reads one random slot of a ~93 MiB table: with 4 KiB pages that is a TLB
 * miss almost every time, and the page walk's own reads miss too, since the kernel's network path
 * runs between two queries. With 2 MiB pages the whole table needs ~47 TLB entries. Measured on
 * this VM: a random slot read cost 205-220 ns in 4 KiB pages, 150 ns in huge pages (C, one read
 * after the other); in the server under a random-of-1,000,000 load, the table's lookup fell from
 * 0.41 to 0.32 us a query (perf), and TXT for random accounts rose from 92.8% to 93.9% of the
 * one-account rate on the same server (8 interleaved rounds).
 *
 * Linux gives transparent huge pages to a region advised with MADV_HUGEPAGE when THP is
 * `madvise` (the common default) or `always`; Node cannot advise memory, so the addon maps it
 * (native-addon.ts). Without the addon, or with THP `never`, the table lives in ordinary pages:
 * slower to reach at random, the same otherwise.
 */
import { nativeAddon } from './native-addon';

/** Below this a table fits the TLB's reach in 4 KiB pages, and a 2 MiB page would be mostly waste. */
export const HUGE_FROM_BYTES = 8 << 20;

/** `length` 32-bit words, zero: in huge pages from HUGE_FROM_BYTES when the addon is built. */
export function tableWords(length: number): Uint32Array {
  const addon = length * 4 >= HUGE_FROM_BYTES ? nativeAddon() : null;
  if (addon === null) return new Uint32Array(length);
  try {
    return new Uint32Array(addon.mapHuge(length * 4));
  } catch {
    // No address space for it (mmap failed): the heap's memory serves as well, if slower.
    return new Uint32Array(length);
  }
}
