/**
 * The DNS hot path's reads (an account's TXT values, the server's own challenge values, the zone's
 * serial) that can never serve stale data. Every account and its newest values are held in memory
 * (account-index.ts, kept exact by account-sync.ts): a lookup is a hash probe whether the store
 * holds 1 account or 1,000,000 (an indexed read through better-sqlite3 cost 7-25 us, 50-70 us for
 * random accounts of 1,000,000 whose pages are not cached). The change check (changes.ts) costs
 * well under 0.1 us per query.
 */
import type Database from 'better-sqlite3';
import type { NameData } from '../../core/types';
import type { AccountSource } from './account-source';
import { accountSync } from './account-sync';
import { changeDetector } from './changes';
import { firstExpiryReader } from './first-expiry';
import { READ_SQL } from './sql';

/** The reads, synchronous; `now` in seconds. They answer as of the last validate(). */
export interface SqliteReads {
  /**
   * Marks what is held stale when the database changed since the last call (any connection's
   * commit, this one's included): the next account read brings the index up to date first.
   * Called once per DNS query before its reads, so a query received after a commit returned is
   * answered from the committed state. Returns the generation: a number that
   * differs from every earlier one once the database changed, so callers may cache what they built
   * from these reads under it.
   */
  validate(): number;
  /** SyncZoneReads.answerEpoch, for the generation the last validate() returned. */
  answerEpoch(now: number): number;
  /** The newest `keep` values younger than the cutoff; undefined when no account has the key. */
  lookup(key: string, now: number): NameData | undefined;
  /** SyncZoneReads.writeSoleValue: the key is the 36 octets of `query` from `from`, any case. */
  writeSoleValue(query: Uint8Array, from: number, now: number, length: number, out: Buffer, at: number): boolean;
  /** SyncZoneReads.accountAbsent. */
  accountAbsent(query: Uint8Array, from: number, length: number): boolean;
  /** SyncZoneReads.touchAccounts. */
  touchAccounts(queries: readonly Uint8Array[], from: number, length: number): number;
  /** The own challenge values at a lower-case name that have not expired, sorted. */
  challengeValues(name: string, now: number): readonly string[];
  /** The zone's serial (read for every SOA-bearing answer, so cached like the rest). */
  serial(): number;
  /** Stops the index's background reads and releases what the change check holds; before the database closes. */
  close(): void;
}

/** The own values at one name: value and expires_at, sorted by value. */
interface ChallengeRows {
  readonly values: readonly string[];
  readonly expires: readonly number[];
  /** The earliest expires_at: every value serves while now is at or before it. */
  readonly first: number;
}

/**
 * Challenge names cached at most (a few hundred bytes each, in every DNS worker): bounds memory
 * when a flood asks for names under the own challenge names. Full: served without caching.
 */
export const MAX_CACHED_NAMES = 131_072;

/**
 * Builds the reads. The accounts come from `accounts`: by default the in-memory index, built at the
 * first account read, then refreshed at the first account read after each change (account-sync.ts);
 * a process that answers no DNS passes sqlAccounts (account-source.ts) instead. Cached
 * challenge values hold every row that can be served at a later time, so time passing only
 * filters them and the cache never needs a clock.
 */
export function sqliteReads(
  db: Database.Database,
  file: string,
  keep: number,
  maxAgeSeconds: number,
  accounts: AccountSource = accountSync(db, keep),
): SqliteReads {
  const changes = changeDetector(db, file);
  const challengeRows = db.prepare(READ_SQL.challengeValues).raw();
  const serialRow = db.prepare(READ_SQL.serial).pluck();
  const storedFirstExpiry = firstExpiryReader(db, maxAgeSeconds);

  const challenges = new Map<string, ChallengeRows>();
  let serial: number | undefined;
  let generation = 0;
  /** The first second at which a value stored at generation `expiryOf` stops being served (Infinity: none does). */
  let firstExpiry = Infinity;
  let expiryOf = -1;
  /** The oldest updated_at served at second `now` (txt.max_age). */
  const cutoffAt = (now: number): number => (maxAgeSeconds > 0 ? now - maxAgeSeconds : -Infinity);

  function remember(key: string, value: ChallengeRows): ChallengeRows {
    // Full: serve without caching. Evicting instead would make a cyclic scan over more names than
    // fit miss every time; any write empties the map anyway.
    if (challenges.size < MAX_CACHED_NAMES) challenges.set(key, value);
    return value;
  }

  function readChallenges(name: string): ChallengeRows {
    const rows = challengeRows.all(name) as [string, number][];
    const expires = rows.map((r) => r[1]);
    return { values: rows.map((r) => r[0]), expires, first: expires.length > 0 ? Math.min(...expires) : Infinity };
  }

  return {
    validate() {
      if (!changes.changed()) return generation;
      challenges.clear();
      serial = undefined;
      accounts.invalidate();
      return ++generation;
    },
    answerEpoch(now) {
      if (expiryOf !== generation) {
        firstExpiry = storedFirstExpiry() ?? Infinity;
        expiryOf = generation;
      }
      // Before the first expiry every stored value is served at every second, so the reads answer
      // alike at all of them and one epoch stands for them all; from it on, each second is its own.
      return now < firstExpiry ? firstExpiry - 1 : now;
    },
    lookup: (key, now) => accounts.get(key, cutoffAt(now)),
    writeSoleValue: (query, from, now, length, out, at) => accounts.writeSole(query, from, cutoffAt(now), length, out, at),
    accountAbsent: (query, from, length) => accounts.absent(query, from, length),
    touchAccounts: (queries, from, length) => accounts.touch(queries, from, length),
    challengeValues(name, now) {
      const rows = challenges.get(name) ?? remember(name, readChallenges(name));
      if (rows.first >= now) return rows.values;
      return rows.values.filter((_, i) => (rows.expires[i] as number) >= now);
    },
    serial() {
      serial ??= serialRow.get() as number;
      return serial;
    },
    close() {
      accounts.close();
      changes.close();
    },
  };
}
