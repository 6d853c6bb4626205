/**
 * Keeps the in-memory account index (account-index.ts) equal to the committed tables, whichever
 * process writes them, through the log of changed names its triggers keep
 * (migrations/sqlite/007_dns_changes.sql): after a commit, only the names logged since the last
 * row read are read again. A full build instead when the row last read is gone or has another
 * tag (the log was pruned past it, or another database was written into the file), and first.
 *
 * A build reads the accounts' names at once (~1 s at 1,000,000) and their values in the
 * background, in chunks between queries (~2 s more): the server starts answering after the names,
 * and until an account's values are loaded its lookups read them from SQLite (settle()).
 *
 * Exactness: the log is read before the tables, each statement in its own read transaction. A
 * commit landing in between is in both the tables read and the log after the row read last, so
 * the next refresh reads its names again: a name read twice gets the same answer, never an older
 * one. Every lookup follows a refresh when the database changed, so a chunk of values read after
 * a commit is corrected (its names re-read) before any answer uses it.
 */
import type Database from 'better-sqlite3';
import { AccountIndex } from './account-index';
import { newestValues, type AccountSource, type AccountValueRow } from './account-source';
import { READ_SQL } from './sql';

/**
 * Arena bytes reserved per account at a build: one ACME value takes none (it sits in the account's
 * slot: uuid-table.ts), two take 75 (value-arena.ts). Reserved, not touched: only what is written
 * is resident, and the arena seldom has to grow.
 */
const BYTES_PER_ACCOUNT = 64;
/** Values read per background step: ~20 ms of the event loop at a time. */
export const VALUE_CHUNK_ROWS = 16_384;
/**
 * SQLite's page cache while a build scans (KiB, negative as the pragma takes it): a sequential
 * scan reuses no page, and the default 16 MiB, once filled, stays in every DNS worker's memory.
 */
const SCAN_CACHE = -2000;
/**
 * A lookup while loading runs the next chunk itself when no timer ran one for this long: an event
 * loop kept busy without a turn (a caller answering queries in one synchronous loop) still loads.
 */
const STARVED_MS = 50;
/** After a background step failed (the database busy or closing), the next try. */
const RETRY_MS = 1000;

/**
 * The index, and what brings it up to the committed state. As an AccountSource, a read after
 * invalidate() refreshes first (not invalidate() itself: a query that reads no account, SOA or the
 * own challenge names, pays nothing), and a read of an account whose values are still loading
 * settles it.
 */
export interface AccountSync extends AccountSource {
  /** The accounts as of the last refresh (a new object after a full build). */
  index(): AccountIndex;
  /** Brings the index up to the committed state; call after the change check said the database changed. */
  refresh(): void;
  /** Makes the key's values in the index complete: while they are loading, reads them from SQLite. */
  settle(key: string): void;
  /** True while a build's values are still being read in the background. */
  isLoading(): boolean;
  /** Stops the background reads; before the database closes. */
  close(): void;
}

/** The sync of one connection's index; `keep` is the policy's number of values per account. */
export function accountSync(db: Database.Database, keep: number, chunkRows = VALUE_CHUNK_ROWS): AccountSync {
  const logSince = db.prepare(READ_SQL.changesSince).raw();
  const logNewest = db.prepare(READ_SQL.newestChange).raw();
  const accountRows = db.prepare(READ_SQL.accountValues).raw();
  const allKeys = db.prepare(READ_SQL.allAccountKeys).pluck();
  const valueChunk = db.prepare(READ_SQL.valueChunk).raw();
  const count = db.prepare(READ_SQL.accountCount).pluck();
  let index = new AccountIndex();
  /** The log row read last and its tag; undefined: no complete build yet. */
  let seen: { seq: number; tag: number } | undefined;
  /**
   * The background read of a build's values: the id read last, and the names whose values were
   * read whole since it began (by a lookup or a refresh), which the later chunks must not add to.
   */
  let loading: { after: number; settled: Set<string>; timer?: NodeJS.Timeout; stepAt: number } | undefined;
  let closed = false;
  /** A change since the last refresh; left true when the refresh throws, so the next read tries again. */
  let stale = true;
  /** The connection's cache_size while a build lowers it. */
  let savedCacheSize: number | undefined;

  function scanCache(on: boolean): void {
    if (on && savedCacheSize === undefined) {
      savedCacheSize = db.pragma('cache_size', { simple: true }) as number;
      db.pragma(`cache_size = ${SCAN_CACHE}`);
    } else if (!on && savedCacheSize !== undefined && db.open) {
      db.pragma(`cache_size = ${savedCacheSize}`);
      savedCacheSize = undefined;
    }
  }

  /** The key's account and its newest `keep` values regardless of age (newestValues). */
  function readAccount(key: string): void {
    const rows = accountRows.all(key) as AccountValueRow[];
    if (rows.length === 0) {
      index.delete(key);
      return;
    }
    const { values, at } = newestValues(rows, keep);
    index.set(key, values, at);
  }

  /** Every account's name now; their values in id order in the background (loadStep). */
  function build(): void {
    stopLoading();
    seen = undefined;
    // The old index is dropped first: a rebuild at 1,000,000 accounts never holds two.
    index = new AccountIndex();
    scanCache(true);
    const newest = logNewest.get() as [number, number] | undefined;
    const accounts = count.get() as number;
    index.reserve(accounts, accounts * BYTES_PER_ACCOUNT);
    for (const key of allKeys.iterate()) index.addAccount(key as string);
    if (newest !== undefined) seen = { seq: newest[0], tag: newest[1] };
    loading = { after: Number.MIN_SAFE_INTEGER, settled: new Set(), stepAt: Date.now() };
    schedule(0);
  }

  function schedule(ms: number): void {
    if (loading === undefined || closed) return;
    loading.timer = setTimeout(loadStep, ms);
    // A CLI that looked one name up exits without waiting for the rest.
    loading.timer.unref();
  }

  /** One chunk of values (a sequential read by id), each kept when its account was not settled. */
  function loadStep(): void {
    const state = loading;
    if (state === undefined) return;
    clearTimeout(state.timer);
    state.stepAt = Date.now();
    let read = 0;
    try {
      // Row by row, not all(): a chunk's rows then die young instead of filling the old generation.
      for (const row of valueChunk.iterate(state.after, chunkRows)) {
        const [id, key, value, at] = row as [number, string, string, number];
        if (!state.settled.has(key)) index.addNewer(key, value, at, keep);
        state.after = id;
        read++;
      }
    } catch {
      // Lookups meanwhile read from SQLite (settle), whose errors answer SERVFAIL. The rows added
      // are kept: the next try starts after the last one.
      return schedule(RETRY_MS);
    }
    if (read < chunkRows) return stopLoading();
    schedule(0);
  }

  function stopLoading(): void {
    if (loading?.timer !== undefined) clearTimeout(loading.timer);
    loading = undefined;
    scanCache(false);
  }

  /** The key's account read whole from SQLite; the background reads leave it alone from now on. */
  function settleFromSql(key: string): void {
    readAccount(key);
    loading?.settled.add(key);
  }

  /** The index as of the committed state (refreshed first when something changed). */
  function current(): AccountIndex {
    if (stale) {
      refresh();
      stale = false;
    }
    return index;
  }

  /** Brings the index up to the committed state: the names logged since the row read last, or a full build. */
  function refresh(): void {
    if (seen === undefined) return build();
    const rows = logSince.all(seen.seq) as [number, string, number][];
    const first = rows[0];
    if (first === undefined || first[0] !== seen.seq || first[2] !== seen.tag) return build();
    if (rows.length === 1) return;
    const keys = new Set<string>();
    for (let i = 1; i < rows.length; i++) keys.add((rows[i] as [number, string, number])[1]);
    for (const key of keys) settleFromSql(key);
    const last = rows[rows.length - 1] as [number, string, number];
    seen = { seq: last[0], tag: last[2] };
  }

  /** While values are loading: the key's read whole from SQLite (once), so its lookup is exact. */
  function settle(key: string): void {
    // Names without an account need nothing: the names are complete from the start.
    if (loading === undefined) return;
    if (Date.now() - loading.stepAt > STARVED_MS) loadStep();
    if (loading !== undefined && !loading.settled.has(key) && index.has(key)) settleFromSql(key);
  }

  // Methods, not getters: V8 builds an object literal with accessors in dictionary mode, and every
  // call on it (absent, writeSole, get: one per DNS query) was then a generic lookup (a LoadIC).
  return {
    index: () => index,
    isLoading: () => loading !== undefined,
    refresh,
    settle,
    invalidate() {
      stale = true;
    },
    get(key, cutoff) {
      const held = current();
      settle(key);
      return held.get(key, cutoff);
    },
    writeSole(query, from, cutoff, length, out, at) {
      const held = current();
      // While values load, get() settles the account from SQLite first.
      return loading === undefined && held.writeSole(query, from, cutoff, length, out, at);
    },
    // The names are complete from the start (settle()): absence needs no load.
    absent: (query, from, length) => current().absentAt(query, from, length),
    // The index as it is, never a refresh: a touch only warms what the answer's read will load.
    touch: (queries, from, length) => index.touchAll(queries, from, length),
    close() {
      closed = true;
      stopLoading();
    },
  };
}
