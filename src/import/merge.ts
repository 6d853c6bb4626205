import type { SourceRow } from './types';

/** A records row without its txt columns. */
export type RecordRow = Omit<SourceRow, 'value' | 'lastupdate'>;

/** A txt row with the subdomain that ties it to an account. */
export interface TxtRow {
  readonly subdomain: unknown;
  readonly value: unknown;
  readonly lastupdate: unknown;
}

/**
 * SQLite's BINARY order of two texts: memcmp of their UTF-8 bytes, i.e. code point order. UTF-16
 * code units (JavaScript's `<`) agree below U+D800, which covers every DNS label; beyond, compare bytes.
 */
export function compareBinary(a: string, b: string): number {
  if (a === b) return 0;
  if (/[\ud800-\uffff]/.test(a) || /[\ud800-\uffff]/.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : 1;
}

/**
 * `records LEFT JOIN txt ON Subdomain` as a merge of two streams both sorted by subdomain in
 * BINARY order: one pass over each, where SQLite's own plan (acme-dns files before v2-master have
 * no index on txt.Subdomain) builds a temporary index and probes it once per account. Every
 * account comes out once, followed by its txt rows (or alone with NULLs); txt rows of no account
 * are passed over. Subdomains that are not text (hand-edited BLOBs) join nothing.
 */
export function* mergeJoin(records: Iterable<RecordRow>, txt: Iterable<TxtRow>): Generator<SourceRow> {
  const it = txt[Symbol.iterator]();
  try {
    let t = it.next();
    for (const r of records) {
      const key = r.subdomain;
      let matched = false;
      if (typeof key === 'string') {
        while (!t.done && typeof t.value.subdomain === 'string' && compareBinary(t.value.subdomain, key) < 0) t = it.next();
        while (!t.done && t.value.subdomain === key) {
          matched = true;
          yield { ...r, value: t.value.value, lastupdate: t.value.lastupdate };
          t = it.next();
        }
      }
      if (!matched) yield { ...r, value: null, lastupdate: null };
    }
  } finally {
    // Stopped early or not: release the txt statement (its connection cannot close while it is open).
    it.return?.();
  }
}
