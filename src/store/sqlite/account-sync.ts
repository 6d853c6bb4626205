/**
 * Keeps the in-memory account index (account-index.ts) equal to the committed tables, whichever
 * process writes them, through the log of changed names its triggers keep
 * (migrations/sqlite/007_dns_changes.sql): after a commit, only the names logged since the last
 * row read are read again. A full build instead when the row last read is gone or has another
 * tag (the log was pruned past it, or another database was written into the file), and first.
 *
 * Exactness: the log is read before the tables, each statement in its own read transaction. A
 * commit landing in between is in both the tables read and the log after the row read last, so
 * the next refresh reads its names again: a name read twice gets the same answer, never an older one.
 */
import type Database from 'better-sqlite3';
import { AccountIndex } from './account-index';
import { READ_SQL } from './sql';

/** Arena bytes reserved per account at a build: one 43-character value takes 55. */
const BYTES_PER_ACCOUNT = 64;

/** The index, and what brings it up to the committed state. */
export interface AccountSync {
  /** The accounts as of the last refresh (a new object after a full build). */
  readonly index: AccountIndex;
  /** Brings the index up to the committed state; call after the change check said the database changed. */
  refresh(): void;
}

/** The sync of one connection's index; `keep` is the policy's number of values per account. */
export function accountSync(db: Database.Database, keep: number): AccountSync {
  const logSince = db.prepare(READ_SQL.changesSince).raw();
  const logNewest = db.prepare(READ_SQL.newestChange).raw();
  const accountRows = db.prepare(READ_SQL.accountValues).raw();
  const allKeys = db.prepare(READ_SQL.allAccountKeys).pluck();
  const allValues = db.prepare(READ_SQL.allValues).raw();
  const count = db.prepare(READ_SQL.accountCount).pluck();
  let index = new AccountIndex();
  /** The log row read last and its tag; undefined: no complete build yet. */
  let seen: { seq: number; tag: number } | undefined;

  /**
   * The key's account and its newest `keep` values regardless of age (updated_at, then id,
   * descending): the age cutoff removes only the oldest rows, so filtering later gives what
   * filtering before the limit would.
   */
  function readAccount(key: string): void {
    const rows = accountRows.all(key) as [string | null, number | null, number | null][];
    if (rows.length === 0) {
      index.delete(key);
      return;
    }
    const live = rows.filter((r): r is [string, number, number] => r[0] !== null);
    live.sort((a, b) => b[1] - a[1] || b[2] - a[2]);
    const newest = live.slice(0, keep);
    index.set(key, newest.map((r) => r[0]), newest.map((r) => r[1]));
  }

  /** Every account, then every value in id order (two sequential scans, no random page reads). */
  function build(): void {
    seen = undefined;
    // The old index is dropped first: a rebuild at 1,000,000 accounts never holds two.
    index = new AccountIndex();
    const newest = logNewest.get() as [number, number] | undefined;
    const accounts = count.get() as number;
    index.reserve(accounts, accounts * BYTES_PER_ACCOUNT);
    for (const key of allKeys.iterate()) index.addAccount(key as string);
    for (const row of allValues.iterate()) {
      const [key, value, at] = row as [string, string, number];
      index.addNewer(key, value, at, keep);
    }
    if (newest !== undefined) seen = { seq: newest[0], tag: newest[1] };
  }

  return {
    get index() {
      return index;
    },
    refresh() {
      if (seen === undefined) return build();
      const rows = logSince.all(seen.seq) as [number, string, number][];
      const first = rows[0];
      if (first === undefined || first[0] !== seen.seq || first[2] !== seen.tag) return build();
      if (rows.length === 1) return;
      const keys = new Set<string>();
      for (let i = 1; i < rows.length; i++) keys.add((rows[i] as [number, string, number])[1]);
      for (const key of keys) readAccount(key);
      const last = rows[rows.length - 1] as [number, string, number];
      seen = { seq: last[0], tag: last[2] };
    },
  };
}
