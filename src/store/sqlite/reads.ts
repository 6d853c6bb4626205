/**
 * The DNS hot path's reads (an account's TXT values, the server's own challenge values, the zone's serial) with
 * a cache that can never serve stale data. Measured: an indexed read through better-sqlite3 costs
 * 7-25 us (a WAL read transaction, the walk, the row objects), the cache check 3-5 us (changes.ts).
 */
import type Database from 'better-sqlite3';
import type { NameData } from '../../core/types';
import { accountFilter, type AccountFilter } from './account-filter';
import { changeDetector } from './changes';
import { READ_SQL } from './sql';

/** The reads, synchronous; `now` in seconds. They use the cache as of the last validate(). */
export interface SqliteReads {
  /**
   * Empties the cache when the database changed since the last call (any connection's commit,
   * this one's included). Called once per DNS query before its reads, so a query received after
   * a commit returned is answered from the committed state. Returns the generation: a number that
   * differs from every earlier one once the database changed, so callers may cache what they built
   * from these reads under it.
   */
  validate(): number;
  /** The newest `keep` values younger than the cutoff; undefined when no account has the key. */
  lookup(key: string, now: number): NameData | undefined;
  /** The own challenge values at a lower-case name that have not expired, sorted. */
  challengeValues(name: string, now: number): readonly string[];
  /** False when no account has the key (the filter of account names, exact as of the last validate()); true: maybe. */
  mayHaveAccount(key: string): boolean;
  /** The zone's serial (read for every SOA-bearing answer, so cached like the rest). */
  serial(): number;
  /** Releases what the change check holds; before the database closes. */
  close(): void;
}

/**
 * What is cached for one account: every row that can be served at a later time, newest first,
 * and the answer while none has aged out (`all`), so a hit allocates nothing.
 */
interface AccountRows {
  readonly values: readonly string[];
  /** updated_at of each value, same order. */
  readonly at: readonly number[];
  readonly all: NameData;
  /** The oldest updated_at (Infinity when there are no values): `all` serves while it is within the age limit. */
  readonly oldest: number;
}

/** The own values at one name: value and expires_at, sorted by value. */
interface ChallengeRows {
  readonly values: readonly string[];
  readonly expires: readonly number[];
  /** The earliest expires_at: every value serves while now is at or before it. */
  readonly first: number;
}

/**
 * Names per map at most (~300 bytes each, so ~40 MiB per map at worst, in every DNS worker): bounds
 * memory when a flood of random names misses, and holds a resolver's scan over 100,000 accounts
 * (65,536 before: such a scan missed a third of the time). Full: served without caching (remember()).
 */
export const MAX_CACHED_NAMES = 131_072;

/**
 * Names without an account remembered at most: the filter (account-filter.ts) answers most of a
 * random-subdomain flood; its false positives fill this set, not the accounts' map (which would
 * otherwise stop caching real names until the next write).
 */
export const MAX_CACHED_MISSES = 16_384;

/**
 * Builds the reads. Cached results hold every row that can be served at a later time, so time
 * passing only filters them (values age out, none come back) and the cache never needs a clock.
 * `names` says which names certainly have no account (the filter of account names by default).
 */
export function sqliteReads(
  db: Database.Database,
  file: string,
  keep: number,
  maxAgeSeconds: number,
  names: AccountFilter = accountFilter(db),
): SqliteReads {
  const changes = changeDetector(db, file);
  // One statement per account miss: no row = no account; one row of NULLs = an account without
  // values; else every row of the name, sorted here (writes prune to `keep`, so there are few).
  const accountRows = db.prepare(READ_SQL.accountValues).raw();
  const challengeRows = db.prepare(READ_SQL.challengeValues).raw();
  const serialRow = db.prepare(READ_SQL.serial).pluck();

  const accounts = new Map<string, AccountRows>();
  const misses = new Set<string>();
  const challenges = new Map<string, ChallengeRows>();
  let serial: number | undefined;
  // Refreshed at the first lookup after a change, not in validate(): a query that reads no
  // account (SOA, the own challenge names) pays nothing, nor does a CLI that never looks up.
  let namesStale = true;
  let generation = 0;

  function remember<T>(map: Map<string, T>, key: string, value: T): T {
    // Full: serve without caching. Evicting instead would make a cyclic scan over more names than
    // fit (a resolver walking every account) miss every time; any write empties the maps anyway.
    if (map.size < MAX_CACHED_NAMES) map.set(key, value);
    return value;
  }

  /**
   * The newest `keep` values regardless of age (updated_at, then id, descending). The age cutoff
   * removes only the oldest rows (the first sort key), so filtering these later at any time gives
   * what filtering before the LIMIT would.
   */
  function readAccount(key: string): AccountRows | undefined {
    const rows = accountRows.all(key) as [string | null, number | null, number | null][];
    if (rows.length === 0) return undefined;
    const live = rows.filter((r): r is [string, number, number] => r[0] !== null);
    live.sort((a, b) => b[1] - a[1] || b[2] - a[2]);
    const newest = live.slice(0, keep);
    const values = newest.map((r) => r[0]);
    const at = newest.map((r) => r[1]);
    return { values, at, all: { values }, oldest: at.length > 0 ? Math.min(...at) : Infinity };
  }

  function mayHaveAccount(key: string): boolean {
    if (namesStale) {
      names.refresh();
      namesStale = false;
    }
    return names.mayHave(key);
  }

  function readChallenges(name: string): ChallengeRows {
    const rows = challengeRows.all(name) as [string, number][];
    const expires = rows.map((r) => r[1]);
    return { values: rows.map((r) => r[0]), expires, first: expires.length > 0 ? Math.min(...expires) : Infinity };
  }

  return {
    validate() {
      if (!changes.changed()) return generation;
      accounts.clear();
      misses.clear();
      challenges.clear();
      serial = undefined;
      namesStale = true;
      return ++generation;
    },
    lookup(key, now) {
      let rows = accounts.get(key);
      if (rows === undefined) {
        if (!mayHaveAccount(key) || misses.has(key)) return undefined;
        rows = readAccount(key);
        if (rows === undefined) {
          // Full: not remembered, as remember() does.
          if (misses.size < MAX_CACHED_MISSES) misses.add(key);
          return undefined;
        }
        remember(accounts, key, rows);
      }
      const cutoff = maxAgeSeconds > 0 ? now - maxAgeSeconds : -Infinity;
      if (rows.oldest >= cutoff) return rows.all;
      return { values: rows.values.filter((_, i) => (rows.at[i] as number) >= cutoff) };
    },
    mayHaveAccount,
    challengeValues(name, now) {
      const rows = challenges.get(name) ?? remember(challenges, name, readChallenges(name));
      if (rows.first >= now) return rows.values;
      return rows.values.filter((_, i) => (rows.expires[i] as number) >= now);
    },
    serial() {
      serial ??= serialRow.get() as number;
      return serial;
    },
    close: () => changes.close(),
  };
}
