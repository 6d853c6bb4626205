/**
 * Where the DNS reads (reads.ts) find an account and its values: the in-memory index of every
 * account (account-sync.ts), in a process that answers DNS, or SQLite itself, one indexed read per
 * lookup (sqlAccounts), in a process that does not: the primary of DNS workers, whose API and
 * RFC 2136 forwarding look up a name now and then, and the CLI. An index there would hold ~93 MiB
 * and take a second to build at 1,000,000 accounts for a handful of reads.
 */
import type Database from 'better-sqlite3';
import type { NameData } from '../../core/types';
import type { AccountValues } from './value-arena';
import { READ_SQL } from './sql';

/** The accounts as the reads see them, as of the last validate(). */
export interface AccountSource {
  /** The database changed (reads.ts validate()): the next read must see the committed state. */
  invalidate(): void;
  /** The values of the key's account at least as new as `cutoff` (seconds), newest first; undefined: no account. */
  get(key: string, cutoff: number): NameData | undefined;
  /**
   * When the account whose key is the 36 octets of `query` from `from` (any case) has exactly one
   * value at least as new as `cutoff`, of `length` octets: writes it at `out[at]`, true. False
   * when it has not, or when only get() can say (AccountIndex.writeSole).
   */
  writeSole(query: Uint8Array, from: number, cutoff: number, length: number, out: Buffer, at: number): boolean;
  /** True when no account has the label of `length` octets of `query` from `from` (a plain label, any case); false when one has, or when only get() can say (AccountIndex.absentAt). */
  absent(query: Uint8Array, from: number, length: number): boolean;
  /**
   * Starts reading where the label of `length` octets from `from` of each query would be found,
   * so the reads that follow find them cached (AccountIndex.touchAll); returns what it loaded.
   * Reads nothing from SQLite and changes nothing.
   */
  touch(queries: readonly Uint8Array[], from: number, length: number): number;
  /** Stops background work; before the database closes. */
  close(): void;
}

/** A row of READ_SQL.accountValues: NULLs for an account without values. */
export type AccountValueRow = [string | null, number | null, number | null];

/**
 * The newest `keep` values of an account's rows regardless of age (updated_at, then id,
 * descending): the age cutoff removes only the oldest rows, so filtering later gives what
 * filtering before the limit would.
 */
export function newestValues(rows: readonly AccountValueRow[], keep: number): AccountValues {
  const live = rows.filter((r): r is [string, number, number] => r[0] !== null);
  live.sort((a, b) => b[1] - a[1] || b[2] - a[2]);
  const newest = live.slice(0, keep);
  return { values: newest.map((r) => r[0]), at: newest.map((r) => r[1]) };
}

/** Every read from SQLite, nothing held: always the committed state, so invalidate() has nothing to do. */
export function sqlAccounts(db: Database.Database, keep: number): AccountSource {
  const accountRows = db.prepare(READ_SQL.accountValues).raw();
  return {
    invalidate: () => undefined,
    get(key, cutoff) {
      const rows = accountRows.all(key) as AccountValueRow[];
      if (rows.length === 0) return undefined;
      const { values, at } = newestValues(rows, keep);
      return { values: values.filter((_, i) => (at[i] as number) >= cutoff) };
    },
    // A process without the index answers no DNS: get() is its only read.
    writeSole: () => false,
    absent: () => false,
    touch: () => 0,
    close: () => undefined,
  };
}
