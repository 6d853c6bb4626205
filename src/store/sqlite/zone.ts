/**
 * The SQLite store's zone journal (what zone transfers read, RFC 1995 and RFC 5936) and the
 * RFC 2136 update. Reads of several statements run in one deferred transaction: in WAL mode that
 * is one snapshot, so the serial and the content or steps read with it belong together.
 */
import type Database from 'better-sqlite3';
import { subdomainKey } from '../../core/types';
import type { AuditContext } from '../admin-types';
import {
  JOURNAL_PRUNE_BATCH,
  ZoneChanges,
  inZone,
  toDeltas,
  toZoneTxt,
  type VersionChangeRow,
  type VersionRow,
} from '../zone-changes';
import type { TxtUpdate, TxtUpdateOutcome, TxtUpdatePort, ZoneDelta, ZoneJournalPort, ZoneSnapshot } from '../zone-types';
import type { AuditWriter } from './admin';
import { withStoreErrors } from './errors';
import { firstExpiryReader } from './first-expiry';
import { SQL, ZONE_SQL } from './sql';
import type { SqliteTxtWrites } from './txt-writes';

/** What the zone part needs from the rest of the store. */
export interface SqliteZoneDeps {
  readonly db: Database.Database;
  readonly zone: string;
  readonly keep: number;
  readonly maxAgeSeconds: number;
  readonly cutoff: (now: number) => number;
  readonly writes: SqliteTxtWrites;
  readonly audit: AuditWriter;
  /** The cached serial (reads.ts): valid while the database is unchanged. */
  readonly serial: () => number;
}

interface StoredChange {
  version: number;
  op: 'add' | 'del';
  name: string;
  own: number;
  value: string;
}

/** The ZoneJournalPort and TxtUpdatePort halves of the SQLite store. */
export function sqliteZone(deps: SqliteZoneDeps): ZoneJournalPort & TxtUpdatePort {
  const { db, zone, writes } = deps;
  const liveTxt = db.prepare(ZONE_SQL.liveTxt);
  const liveChallenges = db.prepare(ZONE_SQL.liveChallenges);
  const versionFrom = db.prepare(ZONE_SQL.versionFrom).pluck();
  const versionsSince = db.prepare(ZONE_SQL.versionsSince);
  const changesSince = db.prepare(ZONE_SQL.changesSince);
  const expireTxt = db.prepare(ZONE_SQL.expireTxt);
  const expireChallenges = db.prepare(ZONE_SQL.expireChallenges);
  const expirable = db.prepare(ZONE_SQL.expirable).pluck();
  const storedFirstExpiry = firstExpiryReader(db, deps.maxAgeSeconds);
  const pruneBoundary = db.prepare(ZONE_SQL.pruneBoundary).pluck();
  const pruneVersions = db.prepare(ZONE_SQL.pruneVersions);
  const pruneChanges = db.prepare(ZONE_SQL.pruneChanges);
  const selectOwner = db.prepare(SQL.selectOwner);
  const liveValues = db.prepare(SQL.liveValues).pluck();

  const snapshot = db.transaction((now: number): ZoneSnapshot => {
    const serial = deps.serial();
    const txt = (liveTxt.all(deps.cutoff(now)) as { name: string; value: string }[]).map((r) => toZoneTxt(zone, r.name, false, r.value));
    const own = (liveChallenges.all(now) as { name: string; value: string }[])
      .filter((r) => inZone(r.name, zone))
      .map((r) => toZoneTxt(zone, r.name, true, r.value));
    return { serial, records: [...txt, ...own] };
  });

  const since = db.transaction((serial: number): ZoneDelta[] | undefined => {
    const current = deps.serial();
    if (serial === current) return [];
    const start = versionFrom.get(serial) as number | undefined;
    if (start === undefined) return undefined;
    const versions = versionsSince.all(start) as VersionRow[];
    const rows = (changesSince.all(start) as StoredChange[]).map((r): VersionChangeRow => ({ ...r, own: r.own === 1 }));
    return toDeltas(zone, versions, rows, current);
  });

  const expire = db.transaction((now: number): number => {
    const changes = new ZoneChanges();
    let gone = 0;
    if (deps.maxAgeSeconds > 0) {
      for (const r of expireTxt.all(deps.cutoff(now)) as { name: string; value: string }[]) {
        changes.del(r.name, false, r.value);
        gone += 1;
      }
    }
    for (const r of expireChallenges.all(now) as { name: string; value: string }[]) {
      if (inZone(r.name, zone)) changes.del(r.name, true, r.value);
      gone += 1;
    }
    writes.record(changes);
    return gone;
  });

  const update = db.transaction(
    (key: string, change: TxtUpdate, check: (current: readonly string[]) => boolean, now: number, ctx?: AuditContext): TxtUpdateOutcome => {
      const owner = selectOwner.get(key) as { username: string; subdomain: string } | undefined;
      if (owner === undefined) return { kind: 'gone' };
      if (!check(liveValues.all(key, deps.cutoff(now), deps.keep) as string[])) return { kind: 'prerequisite-failed' };
      const changes = new ZoneChanges();
      // RFC 2136 §3.4.2: the deletions of the update, then its additions.
      if (change.deleteAll) writes.removeAll(key, changes);
      for (const value of change.remove) writes.remove(key, value, changes);
      for (const value of change.add) writes.put(key, value, now, changes);
      writes.record(changes);
      const added = changes.count('add', key);
      const removed = changes.count('del', key);
      // In the update's order: its deletions, then its additions (a refresh is audited, as putTxt's).
      if (ctx && removed > 0) deps.audit('txt.removed', owner, ctx, { removed });
      if (ctx && change.add.length > 0) deps.audit('txt.updated', owner, ctx);
      return { kind: 'applied', added, removed };
    },
  );

  /** Deletes in batches until a batch comes back short; between batches other work runs. */
  async function inBatches(statement: Database.Statement, boundary: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = withStoreErrors(() => statement.run(boundary, JOURNAL_PRUNE_BATCH).changes);
      total += n;
      if (n < JOURNAL_PRUNE_BATCH) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  return {
    async zoneSerial() {
      return withStoreErrors(() => deps.serial());
    },
    async zoneSnapshot(nowSeconds) {
      return withStoreErrors(() => snapshot(nowSeconds));
    },
    async zoneChangesSince(serial) {
      return withStoreErrors(() => since(serial));
    },
    async expireZoneValues(nowSeconds) {
      // The sweep runs every second on the process that answers DNS, and better-sqlite3 waits
      // synchronously (busy_timeout, 5 s) for a write lock another process holds (the CLI, an
      // import): so it looks first, and takes the lock only when something has expired.
      return withStoreErrors(() => {
        const aging = deps.maxAgeSeconds > 0 ? 1 : 0;
        return expirable.get(nowSeconds, aging, deps.cutoff(nowSeconds)) === 1 ? expire.immediate(nowSeconds) : 0;
      });
    },
    async nextZoneExpiry() {
      return withStoreErrors(storedFirstExpiry);
    },
    async pruneZoneJournal(keepSerials) {
      const boundary = withStoreErrors(() => pruneBoundary.get(Math.max(0, Math.floor(keepSerials))) as number | undefined);
      if (boundary === undefined) return 0;
      const versions = await inBatches(pruneVersions, boundary);
      await inBatches(pruneChanges, boundary);
      return versions;
    },
    async applyTxtUpdate(subdomain, change, check, nowSeconds, ctx) {
      return withStoreErrors(() => update.immediate(subdomainKey(subdomain), change, check, nowSeconds, ctx));
    },
  };
}
