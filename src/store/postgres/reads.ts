/**
 * The DNS hot path's reads on PostgreSQL (an account's TXT values, the own challenge values, the
 * serial) with a cache per instance that never answers with data older than the query.
 *
 * Several instances share the database, and an answer to a query that arrives after a 200 on ANY
 * of them must hold the new value. So a cached row is used only after a read of the shared
 * generation counter (migration 006, bumped in every write's transaction) that STARTED after the
 * query arrived has found the counter unchanged. Such reads are batched in rounds: at most one is
 * in flight; the queries that arrive meanwhile join the next round, which starts when it returns
 * (a query must not ride on a read already in flight: its snapshot may predate a commit that
 * preceded the query). Each round also fetches, in the same statement and snapshot, the names its
 * queries found no cached row for (reads-sql.ts), so a flood of new names costs one round trip per
 * round, not per query. Under load one round trip serves a whole round; a query waits for at most
 * the round in flight and its own.
 *
 * A round that fails fails its queries (SERVFAIL): nothing cached is served without a fresh read.
 */
import type { NameData } from '../../core/types';
import type { PgDb, Statement } from './pool';
import { ROUND_SQL } from './reads-sql';

/** The reads; `now` in seconds. */
export interface PgReads {
  /** The newest `keep` values younger than the cutoff (newest first); undefined when no account has the key. */
  lookup(key: string, now: number): Promise<NameData | undefined>;
  /** The own challenge values at a lower-case name that have not expired, in byte order. */
  challengeValues(name: string, now: number): Promise<string[]>;
  /** The zone's serial, as of a read that started after the call. */
  serial(): Promise<number>;
  /** ZoneReads.readGeneration: a number of this process's, one more each time a round found the shared counter changed. */
  generation(): Promise<number>;
}

/** One value and the time it ages by (TXT: updated_at; challenge: expires_at). */
interface Timed {
  readonly value: string;
  readonly at: number;
}

/** An account's rows, or null: no account has the name. */
type AccountRows = readonly Timed[] | null;

/** What one round brought, all from one snapshot: every key and name it was asked for is present. */
interface Fetched {
  readonly serial: number;
  /** The generation of this process's numbering the round found (PgReads.generation). */
  readonly generation: number;
  readonly accounts: ReadonlyMap<string, AccountRows>;
  readonly challenges: ReadonlyMap<string, readonly Timed[]>;
}

/** One round: the names to fetch, and its outcome. */
interface Round {
  readonly keys: Set<string>;
  readonly names: Set<string>;
  readonly done: Promise<Fetched>;
  settle(result: Promise<Fetched>): void;
}

/** A row of ROUND_SQL; bigint columns come back as strings. */
interface RoundRow {
  kind: number;
  name: string | null;
  value: string | null;
  at: string | number;
  ord: string | number;
}

/** Entries per map at most (~250 bytes each): bounds memory when a flood of random names misses. */
const MAX_ENTRIES = 65536;

/** The statement and parameters that fetch what `round` asks for. */
function roundStatement(round: Round, keep: number): [Statement, unknown[]] {
  const keys = [...round.keys];
  const names = [...round.names];
  if (keys.length === 0) return names.length === 0 ? [ROUND_SQL.marker, []] : [ROUND_SQL.challenges, [names]];
  return names.length === 0 ? [ROUND_SQL.accounts, [keys, keep]] : [ROUND_SQL.both, [keys, keep, names]];
}

function newRound(): Round {
  let settle: (result: Promise<Fetched>) => void = () => undefined;
  const done = new Promise<Fetched>((resolve) => (settle = resolve));
  return { keys: new Set(), names: new Set(), done, settle };
}

/** Inserts at the young end; drops the least recently used entry when full. */
function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key);
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
  map.set(key, value);
}

/** Groups kind-`kind` rows by name, each group in rank order. */
function grouped(rows: readonly RoundRow[], kind: number): Map<string, Timed[]> {
  const ranked = new Map<string, { ord: number; row: Timed }[]>();
  for (const r of rows) {
    if (r.kind !== kind || r.name === null || r.value === null) continue;
    let list = ranked.get(r.name);
    if (list === undefined) ranked.set(r.name, (list = []));
    list.push({ ord: Number(r.ord), row: { value: r.value, at: Number(r.at) } });
  }
  const out = new Map<string, Timed[]>();
  for (const [name, list] of ranked) out.set(name, list.sort((a, b) => a.ord - b.ord).map((x) => x.row));
  return out;
}

/** Builds the reads over `db` under the policy (`keep`, the age cutoff of `now`). */
export function pgReads(db: PgDb, keep: number, cutoff: (now: number) => number): PgReads {
  const accounts = new Map<string, AccountRows>();
  const challenges = new Map<string, readonly Timed[]>();
  /** The generation the cached rows belong to. */
  let generation: string | undefined;
  // Counts the changes of `generation` seen: never repeats, even if the shared counter went back (a restore).
  let seen = 0;
  let next: Round | undefined;
  let inFlight = false;
  let scheduled = false;

  /** Turns a round's rows into its result and brings the cache to their generation. */
  function apply(round: Round, rows: readonly RoundRow[]): Fetched {
    const marker = rows.find((r) => r.kind === 0);
    if (marker?.value == null) throw new Error('zone_state has no row: migration 004 did not run');
    if (marker.value !== generation) {
      accounts.clear();
      challenges.clear();
      generation = marker.value;
      seen++;
    }
    const values = grouped(rows, 1);
    const existing = new Set(rows.flatMap((r) => (r.kind === 1 && r.name !== null ? [r.name] : [])));
    const fetchedAccounts = new Map<string, AccountRows>();
    for (const key of round.keys) {
      const found = existing.has(key) ? (values.get(key) ?? []) : null;
      fetchedAccounts.set(key, found);
      remember(accounts, key, found);
    }
    const own = grouped(rows, 2);
    const fetchedChallenges = new Map<string, readonly Timed[]>();
    for (const name of round.names) {
      const found = own.get(name) ?? [];
      fetchedChallenges.set(name, found);
      remember(challenges, name, found);
    }
    return { serial: Number(marker.at), generation: seen, accounts: fetchedAccounts, challenges: fetchedChallenges };
  }

  function launch(): void {
    scheduled = false;
    const round = next;
    next = undefined;
    if (round === undefined) return;
    inFlight = true;
    const result = db.query<RoundRow>('read', ...roundStatement(round, keep)).then(({ rows }) => apply(round, rows));
    round.settle(result);
    // The next round's queries all arrived while this one was in flight: it starts now.
    void result
      .catch(() => undefined)
      .then(() => {
        inFlight = false;
        if (next !== undefined) launch();
      });
  }

  /**
   * The round the caller's query belongs to: one that has not started yet. When none is in flight
   * it starts after the current event-loop turn, so the queries read in one turn share it.
   */
  function join(): Round {
    next ??= newRound();
    if (!inFlight && !scheduled) {
      scheduled = true;
      setImmediate(launch);
    }
    return next;
  }

  /** The rows of a name from `got`, else from the cache (still valid: same generation); undefined: ask again. */
  function rowsOf<T>(got: ReadonlyMap<string, T>, cache: Map<string, T>, key: string): T | undefined {
    if (got.has(key)) return got.get(key);
    const hit = cache.get(key);
    // Least recently used goes first when full: a hit moves to the young end.
    if (hit !== undefined) remember(cache, key, hit);
    return hit;
  }

  /** Waits for a round that started after the call, fetching `key` in it unless it is cached; once more when the round cleared it. */
  async function resolve<T>(key: string, pick: (f: Fetched) => ReadonlyMap<string, T>, cache: Map<string, T>, want: (r: Round) => Set<string>): Promise<T> {
    for (;;) {
      const round = join();
      if (!cache.has(key)) want(round).add(key);
      const found = rowsOf(pick(await round.done), cache, key);
      if (found !== undefined) return found;
    }
  }

  const accountsOf = (f: Fetched): ReadonlyMap<string, AccountRows> => f.accounts;
  const challengesOf = (f: Fetched): ReadonlyMap<string, readonly Timed[]> => f.challenges;
  const roundKeys = (r: Round): Set<string> => r.keys;
  const roundNames = (r: Round): Set<string> => r.names;

  return {
    async lookup(key, now) {
      const rows = await resolve(key, accountsOf, accounts, roundKeys);
      if (rows === null) return undefined;
      const oldest = cutoff(now);
      return { values: rows.flatMap((r) => (r.at >= oldest ? [r.value] : [])) };
    },
    async challengeValues(name, now) {
      const rows = await resolve(name, challengesOf, challenges, roundNames);
      const t = Math.floor(now);
      return rows.flatMap((r) => (r.at >= t ? [r.value] : []));
    },
    async serial() {
      return (await join().done).serial;
    },
    async generation() {
      return (await join().done).generation;
    },
  };
}
