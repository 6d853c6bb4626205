/**
 * The DNS hot path's reads (an account's TXT values, the server's own challenge values, the zone's serial) with
 * a cache that can never serve stale data. Measured: an indexed read through better-sqlite3 costs
 * 7-25 us (a WAL read transaction, the ORDER BY walk, the row objects), the cache check about 2 us.
 */
import type Database from 'better-sqlite3';
import type { NameData } from '../../core/types';
import { READ_SQL } from './sql';

/** The reads, synchronous; `now` in seconds. */
export interface SqliteReads {
  /** The newest `keep` values younger than the cutoff; undefined when no account has the key. */
  lookup(key: string, now: number): NameData | undefined;
  /** The own challenge values at a lower-case name that have not expired, sorted. */
  challengeValues(name: string, now: number): string[];
  /** The zone's serial (read for every SOA-bearing answer, so cached like the rest). */
  serial(): number;
}

/** One value and the time it ages by (TXT: updated_at; challenge: expires_at). */
interface Timed {
  readonly value: string;
  readonly at: number;
}

/** Entries per map at most (~250 bytes each): bounds memory when a flood of random names misses. */
const MAX_ENTRIES = 65536;

/**
 * Builds the reads. Cached results hold every row that can be served at a later time, so time
 * passing only filters them (values age out, none come back) and the cache never needs a clock.
 *
 * A cached result is used only while neither of these has changed since it was read:
 * `PRAGMA data_version` (changes when ANOTHER connection commits, e.g. `acmedns accounts` in
 * another process or a second instance on the same file) and `total_changes()` (rows this
 * connection changed, whichever module wrote them). Both are read before every answer, cached or not.
 */
export function sqliteReads(db: Database.Database, keep: number, maxAgeSeconds: number): SqliteReads {
  const dataVersion = db.prepare(READ_SQL.dataVersion).pluck();
  const ownChanges = db.prepare(READ_SQL.ownChanges).pluck();
  const accountExists = db.prepare(READ_SQL.accountExists).pluck();
  // Every row of the name, sorted here (newest below): see READ_SQL.allValues.
  const allValues = db.prepare(READ_SQL.allValues).raw();
  const challengeRows = db.prepare(READ_SQL.challengeValues).raw();
  const serialRow = db.prepare(READ_SQL.serial).pluck();

  const accounts = new Map<string, readonly Timed[] | null>();
  const challenges = new Map<string, readonly Timed[]>();
  let version = -1;
  let changes = -1;
  let serial: number | undefined;

  /** Drops everything cached when the database may have changed since it was read. */
  function validate(): void {
    const v = dataVersion.get() as number;
    const c = ownChanges.get() as number;
    if (v === version && c === changes) return;
    accounts.clear();
    challenges.clear();
    serial = undefined;
    version = v;
    changes = c;
  }

  function remember<T>(map: Map<string, T>, key: string, value: T): T {
    // Full: serve without caching. Evicting instead would make a cyclic scan over more names than
    // fit (a resolver walking every account) miss every time; any write empties the maps anyway.
    if (map.size < MAX_ENTRIES) map.set(key, value);
    return value;
  }

  const toTimed = (rows: unknown[]): Timed[] => (rows as [string, number][]).map(([value, at]) => ({ value, at }));

  /**
   * The newest `keep` values regardless of age (updated_at, then id, descending). The age cutoff
   * removes only the oldest rows (the first sort key), so filtering these later at any time gives
   * what filtering before the LIMIT would.
   */
  function newest(key: string): Timed[] {
    const rows = allValues.all(key) as [string, number, number][];
    rows.sort((a, b) => b[1] - a[1] || b[2] - a[2]);
    return toTimed(rows.slice(0, keep));
  }

  return {
    lookup(key, now) {
      validate();
      let rows = accounts.get(key);
      if (rows === undefined) {
        rows = remember(accounts, key, accountExists.get(key) === undefined ? null : newest(key));
      }
      if (rows === null) return undefined;
      const cutoff = maxAgeSeconds > 0 ? now - maxAgeSeconds : -Infinity;
      return { values: rows.flatMap((r) => (r.at >= cutoff ? [r.value] : [])) };
    },
    challengeValues(name, now) {
      validate();
      const rows = challenges.get(name) ?? remember(challenges, name, toTimed(challengeRows.all(name)));
      return rows.flatMap((r) => (r.at >= now ? [r.value] : []));
    },
    serial() {
      validate();
      serial ??= serialRow.get() as number;
      return serial;
    },
  };
}
