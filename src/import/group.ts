import type { SourceAccount, SourceRow, SourceTxt } from './types';

interface Building {
  readonly key: unknown;
  readonly row: SourceRow;
  readonly txt: SourceTxt[];
}

function finish(b: Building): SourceAccount {
  return { username: b.row.username, password: b.row.password, subdomain: b.row.subdomain, allowfrom: b.row.allowfrom, txt: b.txt };
}

/** Usernames compare as text whether the driver gave a string or (SQLite BLOB) a Buffer. */
function keyOf(v: unknown): unknown {
  return Buffer.isBuffer(v) ? `blob:${v.toString('hex')}` : v;
}

/**
 * Turns joined rows in which each account's rows are adjacent (one per txt row, or one with NULLs
 * for an account without txt rows) into accounts, `size` at a time. An account's rows may straddle
 * two fetched batches, so the last account of a batch is held until the next batch shows whether
 * more rows follow.
 */
export async function* groupAccounts(
  batches: AsyncIterable<readonly SourceRow[]>,
  size: number,
): AsyncGenerator<SourceAccount[]> {
  let out: SourceAccount[] = [];
  let current: Building | undefined;
  for await (const rows of batches) {
    for (const row of rows) {
      const key = keyOf(row.username);
      if (current === undefined || current.key !== key) {
        if (current !== undefined) out.push(finish(current));
        current = { key, row, txt: [] };
      }
      if (row.value !== null && row.value !== undefined) current.txt.push({ value: row.value, lastupdate: row.lastupdate });
      if (out.length >= size) {
        yield out;
        out = [];
      }
    }
  }
  if (current !== undefined) out.push(finish(current));
  if (out.length > 0) yield out;
}
