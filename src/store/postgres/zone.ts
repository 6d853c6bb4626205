/**
 * The PostgreSQL store's zone journal (what zone transfers read, RFC 1995 and RFC 5936) and the
 * RFC 2136 update. Several instances share it: the serial and the journal are the database's, so
 * every instance serves the same serial and content at the same moment.
 */
import { subdomainKey } from '../../core/types';
import type { AuditContext } from '../admin-types';
import { JOURNAL_PRUNE_BATCH, ZoneChanges, firstExpirySecond, inZone, toDeltas, toZoneTxt } from '../zone-changes';
import type { TxtUpdateOutcome, TxtUpdatePort, ZoneJournalPort } from '../zone-types';
import { pgAudit } from './admin';
import type { PgDb, TxQuery } from './pool';
import { SQL } from './sql';
import type { PgTxtWrites } from './txt-writes';
import { ZONE_SQL } from './zone-sql';

/** What the zone part needs from the rest of the store. */
export interface PgZoneDeps {
  readonly db: PgDb;
  readonly zone: string;
  readonly keep: number;
  readonly maxAgeSeconds: number;
  readonly cutoff: (now: number) => number;
  readonly writes: PgTxtWrites;
  /** The serial as of a read that started after the call (reads.ts: shared with the DNS reads' rounds). */
  readonly serial: () => Promise<number>;
}

interface NamedValue {
  name: string;
  value: string;
}

/** bigint columns come back as strings. */
type Big = string | number;

async function currentSerial(q: TxQuery): Promise<number> {
  const row = (await q<{ serial: Big }>(ZONE_SQL.serial)).rows[0];
  if (row === undefined) throw new Error('zone_state has no row: migration 004 did not run');
  return Number(row.serial);
}

/** The ZoneJournalPort and TxtUpdatePort halves of the PostgreSQL store. */
export function postgresZone(deps: PgZoneDeps): ZoneJournalPort & TxtUpdatePort {
  const { db, zone, writes } = deps;

  /** A read-only transaction with one snapshot for all its statements. */
  const consistentRead = <T>(fn: (q: TxQuery) => Promise<T>): Promise<T> =>
    db.transaction(async (q) => {
      await q(ZONE_SQL.snapshotRead);
      return fn(q);
    });

  /** Deletes in batches until a batch comes back short. */
  async function inBatches(statement: typeof ZONE_SQL.pruneVersions, boundary: Big): Promise<number> {
    let total = 0;
    for (;;) {
      const n = (await db.query('write', statement, [boundary, JOURNAL_PRUNE_BATCH])).rowCount ?? 0;
      total += n;
      if (n < JOURNAL_PRUNE_BATCH) return total;
    }
  }

  return {
    zoneSerial() {
      return deps.serial();
    },
    zoneSnapshot(nowSeconds) {
      const now = Math.floor(nowSeconds);
      return consistentRead(async (q) => {
        const serial = await currentSerial(q);
        const txt = (await q<NamedValue>(ZONE_SQL.liveTxt, [deps.cutoff(now)])).rows.map((r) => toZoneTxt(zone, r.name, false, r.value));
        const own = (await q<NamedValue>(ZONE_SQL.liveChallenges, [now])).rows
          .filter((r) => inZone(r.name, zone))
          .map((r) => toZoneTxt(zone, r.name, true, r.value));
        return { serial, records: [...txt, ...own] };
      });
    },
    zoneChangesSince(serial) {
      return consistentRead(async (q) => {
        const current = await currentSerial(q);
        if (serial === current) return [];
        const start = (await q<{ id: Big }>(ZONE_SQL.versionFrom, [serial])).rows[0]?.id;
        if (start === undefined) return undefined;
        const versions = (await q<{ id: Big; from: Big; to: Big }>(ZONE_SQL.versionsSince, [start])).rows;
        const rows = (await q<{ version: Big; op: 'add' | 'del'; name: string; own: boolean; value: string }>(ZONE_SQL.changesSince, [start])).rows;
        return toDeltas(
          zone,
          versions.map((v) => ({ id: Number(v.id), from: Number(v.from), to: Number(v.to) })),
          rows.map((r) => ({ ...r, version: Number(r.version) })),
          current,
        );
      });
    },
    expireZoneValues(nowSeconds) {
      const now = Math.floor(nowSeconds);
      return db.transaction(async (q) => {
        const changes = new ZoneChanges();
        let gone = 0;
        if (deps.maxAgeSeconds > 0) {
          for (const r of (await q<NamedValue>(ZONE_SQL.expireTxt, [deps.cutoff(now)])).rows) {
            changes.del(r.name, false, r.value);
            gone += 1;
          }
        }
        for (const r of (await q<NamedValue>(ZONE_SQL.expireChallenges, [now])).rows) {
          if (inZone(r.name, zone)) changes.del(r.name, true, r.value);
          gone += 1;
        }
        await writes.record(q, changes);
        return gone;
      });
    },
    async nextZoneExpiry() {
      const row = (await db.query<{ challenge: Big | null; txt: Big | null }>('read', ZONE_SQL.nextExpiry)).rows[0];
      const num = (v: Big | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));
      return firstExpirySecond(num(row?.challenge), num(row?.txt), deps.maxAgeSeconds);
    },
    async pruneZoneJournal(keepSerials) {
      const boundary = (await db.query<{ id: Big }>('read', ZONE_SQL.pruneBoundary, [Math.max(0, Math.floor(keepSerials))])).rows[0]?.id;
      if (boundary === undefined) return 0;
      const versions = await inBatches(ZONE_SQL.pruneVersions, boundary);
      await inBatches(ZONE_SQL.pruneChanges, boundary);
      return versions;
    },
    applyTxtUpdate(subdomain, change, check, nowSeconds, ctx?: AuditContext): Promise<TxtUpdateOutcome> {
      const key = subdomainKey(subdomain);
      return db.transaction(async (q): Promise<TxtUpdateOutcome> => {
        // The account's row first, as every writer of the name takes it (txt-writes.ts).
        const owner = (await q<{ username: string; subdomain: string }>(SQL.lockName, [key])).rows[0];
        if (owner === undefined) return { kind: 'gone' };
        const current = (await q<{ value: string }>(SQL.liveValues, [key, deps.cutoff(nowSeconds), deps.keep])).rows.map((r) => r.value);
        if (!check(current)) return { kind: 'prerequisite-failed' };
        const changes = new ZoneChanges();
        // RFC 2136 §3.4.2: the deletions of the update, then its additions.
        if (change.deleteAll) await writes.removeAll(q, key, changes);
        for (const value of change.remove) await writes.remove(q, key, value, changes);
        for (const value of change.add) await writes.put(q, key, value, nowSeconds, changes);
        const added = changes.count('add', key);
        const removed = changes.count('del', key);
        // In the update's order: its deletions, then its additions (a refresh is audited, as putTxt's).
        if (ctx && removed > 0) await pgAudit(q, 'txt.removed', owner, ctx, { removed });
        if (ctx && change.add.length > 0) await pgAudit(q, 'txt.updated', owner, ctx);
        // An added value already there is refreshed: no content change, but a new age.
        await writes.record(q, changes, change.add.length > 0);
        return { kind: 'applied', added, removed };
      });
    },
  };
}
