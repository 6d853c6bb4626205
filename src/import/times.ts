/**
 * txt.LastUpdate as imported. acme-dns writes time.Now().Unix() and overwrites the row with the
 * smallest LastUpdate (NULL sorts first in both engines), so a hand-made or hostile time either
 * makes a value look never updated or pins it: a future time is never the oldest, so it is never
 * overwritten, and here it would stay the newest, never pruned by txt.keep nor aged out by
 * txt.max_age, and it would break every printed date (1e300 seconds is no Date).
 */

/** What one LastUpdate became, and why when it was changed. */
export interface ImportedTime {
  /** Unix seconds to store: an integer in [0, now]. */
  readonly seconds: number;
  /** Set when the stored time was not used as it is. */
  readonly problem?: 'not-a-time' | 'future';
}

/**
 * NULL or 0: never updated, as acme-dns means it. Not a finite number (text, NaN, an infinity
 * SQLite kept as REAL) or negative: 0, the oldest, which is what acme-dns made of it too (the next
 * /update would have overwritten it). Later than the import: clamped to the import time, so the
 * value counts as posted now and ages out after txt.max_age like any other. Fractions are cut.
 */
export function importTime(v: unknown, nowSeconds: number): ImportedTime {
  if (v === null || v === undefined) return { seconds: 0 };
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0) return { seconds: 0, problem: 'not-a-time' };
  if (n > nowSeconds) return { seconds: nowSeconds, problem: 'future' };
  return { seconds: Math.floor(n) };
}
