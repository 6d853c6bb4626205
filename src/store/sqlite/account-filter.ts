/**
 * Which names certainly have no account, without SQLite: a Bloom filter (bloom.ts) of every
 * account's subdomain key, kept in step with the database through the row its triggers maintain
 * (migrations/sqlite/006_account_filter.sql), so writes by any process count. A random-subdomain
 * flood (every name new, so no cache helps) then costs a hash instead of a SQLite read.
 *
 * Exactness: after refresh() every account committed before it is in the filter. Rows come by
 * rowid: the filter holds every row up to `high`, and a row given a rowid at or below `high` after
 * that (a reused rowid, VACUUM) or renamed moves `reused`, which makes the next refresh rebuild.
 * Deleted names stay in the filter until a rebuild: false positives, answered from SQLite.
 */
import type Database from 'better-sqlite3';
import { BloomFilter } from './bloom';
import { READ_SQL } from './sql';

/** The smallest filter (keys): 5 KiB, so a small store never rebuilds for growth. */
const MIN_CAPACITY = 4096;
/** Room to grow before a rebuild, as a share of the accounts: 1,000,000 accounts take ~1.5 MiB. */
const HEADROOM = 1.25;

export interface AccountFilter {
  /**
   * Brings the filter up to the committed state: one statement when nothing changed the accounts,
   * a range read of the new rows when accounts were added, a full read after a rowid was reused or
   * the file holds another database. Call after the change check said the database changed.
   */
  refresh(): void;
  /** False: no account had the key at the last refresh. True: maybe (ask SQLite). */
  mayHave(key: string): boolean;
  /** Memory held by the filter. */
  bytes(): number;
}

/** The state row of 006_account_filter.sql, as read. */
interface State {
  readonly epoch: Buffer;
  readonly high: number;
  readonly reused: number;
}

export function accountFilter(db: Database.Database): AccountFilter {
  const stateRow = db.prepare(READ_SQL.accountsState).raw();
  const keysAbove = db.prepare(READ_SQL.accountKeys).pluck();
  const keysUpTo = db.prepare(READ_SQL.accountKeysUpTo).pluck();
  const count = db.prepare(READ_SQL.accountCount).pluck();
  /** Undefined: not built, or no usable state row (then every name is "maybe"). */
  let filter: BloomFilter | undefined;
  let known: State | undefined;

  function readState(): State | undefined {
    const row = stateRow.get() as unknown[] | undefined;
    if (row === undefined) return undefined;
    const [epoch, high, reused] = row;
    // Rowids beyond 2^53 (only ever set by hand) cannot be compared exactly as numbers: no filter.
    if (!Buffer.isBuffer(epoch) || !Number.isSafeInteger(high) || !Number.isSafeInteger(reused)) return undefined;
    return { epoch, high: high as number, reused: reused as number };
  }

  /**
   * State first, rows after (two read transactions): a row committed in between with a rowid above
   * the state's high is added by the next refresh (high moved), one at or below it moved `reused`.
   */
  function rebuild(state: State): void {
    const rows = count.get() as number;
    const next = new BloomFilter(Math.max(MIN_CAPACITY, Math.ceil(rows * HEADROOM)));
    for (const key of keysUpTo.iterate(state.high)) next.add(key as string);
    filter = next;
    known = state;
  }

  return {
    refresh() {
      const state = readState();
      if (state === undefined) {
        filter = undefined;
        known = undefined;
        return;
      }
      if (filter === undefined || known === undefined || !state.epoch.equals(known.epoch) || state.reused !== known.reused || state.high < known.high) {
        rebuild(state);
        return;
      }
      if (state.high === known.high) return;
      // At most high - known.high new rows (distinct rowids): grow by rebuilding when they may not fit.
      if (filter.added + (state.high - known.high) > filter.capacity) {
        rebuild(state);
        return;
      }
      for (const key of keysAbove.iterate(known.high, state.high)) filter.add(key as string);
      known = state;
    },
    mayHave: (key) => filter === undefined || filter.mayHave(key),
    bytes: () => filter?.bytes ?? 0,
  };
}
