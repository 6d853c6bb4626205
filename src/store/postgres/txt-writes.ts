/**
 * The PostgreSQL store's writes of the zone's dynamic content, each noting what it changed, and
 * the journal record that bumps the serial, all inside the caller's transaction (DESIGN rule 6).
 *
 * Lock order, the same in every transaction, so that several instances never deadlock: the
 * account's row first (FOR UPDATE, which serialises the writers of one name), then the value rows
 * of that name, and the serial row LAST, in `record`, right before COMMIT. After taking the serial
 * row a transaction only inserts new rows (journal, audit), so it never waits while holding it and
 * cannot be part of a wait cycle; and the serial lock is held for one statement, so instances
 * change different names concurrently and queue only for the bump. Expiry takes no row lock it
 * would wait for (SKIP LOCKED, zone-sql.ts). Taking the serial row first instead would also be
 * deadlock-free but would serialise every whole write of every instance.
 */
import { inZone, type ZoneChanges } from '../zone-changes';
import type { TxQuery } from './pool';
import { GENERATION_SQL } from './reads-sql';
import { SQL } from './sql';
import { ZONE_SQL } from './zone-sql';

/** Journal rows per statement: bounded messages for big imports. */
const RECORD_BATCH = 5000;

/** The writes; `changes` collects what each did to the zone. */
export interface PgTxtWrites {
  /** Adds a value or refreshes its time (no change to the zone), then prunes the name to the policy. */
  put(q: TxQuery, key: string, value: string, now: number, changes: ZoneChanges): Promise<void>;
  /** Removes one value; true when it was there. */
  remove(q: TxQuery, key: string, value: string, changes: ZoneChanges): Promise<boolean>;
  /** Removes every value of the name; how many. */
  removeAll(q: TxQuery, key: string, changes: ZoneChanges): Promise<number>;
  /** Publishes an own challenge value until `expiresAt`, dropping long-expired ones of the name. */
  putChallenge(q: TxQuery, name: string, value: string, expiresAt: number, changes: ZoneChanges): Promise<void>;
  /** Withdraws an own challenge value; true when it was there. */
  removeChallenge(q: TxQuery, name: string, value: string, changes: ZoneChanges): Promise<boolean>;
  /**
   * Bumps the serial and the answers' generation and writes one journal version when `changes` is
   * not empty; when it is empty but `touched` (rows DNS reads changed without changing the zone's
   * content: a refresh's time, an account made or deleted, an expiry moved), bumps the generation
   * only, so every instance's read cache (reads.ts) drops what it holds. The transaction's last lock.
   */
  record(q: TxQuery, changes: ZoneChanges, touched?: boolean): Promise<void>;
}

/** Builds the writes for the zone `zone` under the policy (`keep`, the age cutoff). */
export function pgTxtWrites(zone: string, keep: number, cutoff: (now: number) => number): PgTxtWrites {
  // Values outside the zone are not its content: no serial step for them.
  const own = (name: string): boolean => inZone(name, zone);

  return {
    async put(q, key, value, now, changes) {
      const { rows } = await q<{ inserted: boolean }>(SQL.upsertTxt, [key, value, Math.floor(now)]);
      if (rows[0]?.inserted === true) changes.add(key, false, value);
      const pruned = await q<{ value: string }>(SQL.pruneTxt, [key, cutoff(now), keep]);
      for (const r of pruned.rows) changes.del(key, false, r.value);
    },
    async remove(q, key, value, changes) {
      const removed = ((await q(SQL.deleteTxt, [key, value])).rowCount ?? 0) > 0;
      if (removed) changes.del(key, false, value);
      return removed;
    },
    async removeAll(q, key, changes) {
      const { rows } = await q<{ value: string }>(SQL.deleteValues, [key]);
      for (const r of rows) changes.del(key, false, r.value);
      return rows.length;
    },
    async putChallenge(q, name, value, expiresAt, changes) {
      const purged = await q<{ value: string }>(SQL.purgeChallenges, [name, Math.floor(expiresAt) - 86400]);
      if (own(name)) for (const r of purged.rows) changes.del(name, true, r.value);
      const { rows } = await q<{ inserted: boolean }>(SQL.upsertChallenge, [name, value, Math.floor(expiresAt)]);
      if (rows[0]?.inserted === true && own(name)) changes.add(name, true, value);
    },
    async removeChallenge(q, name, value, changes) {
      const removed = ((await q(SQL.deleteChallenge, [name, value])).rowCount ?? 0) > 0;
      if (removed && own(name)) changes.del(name, true, value);
      return removed;
    },
    async record(q, changes, touched = false) {
      if (changes.empty) {
        if (touched) await q(GENERATION_SQL.touch);
        return;
      }
      const rows = changes.rows();
      const columns = (batch: typeof rows): unknown[] => [
        batch.map((r) => r.op),
        batch.map((r) => r.name),
        batch.map((r) => r.own),
        batch.map((r) => r.value),
      ];
      const at = Math.floor(Date.now() / 1000);
      const version = (await q<{ id: string }>(ZONE_SQL.record, [at, ...columns(rows.slice(0, RECORD_BATCH))])).rows[0]?.id;
      if (version === undefined) throw new Error('zone_state has no row: migration 004 did not run');
      for (let start = RECORD_BATCH; start < rows.length; start += RECORD_BATCH) {
        await q(ZONE_SQL.insertChanges, [version, ...columns(rows.slice(start, start + RECORD_BATCH))]);
      }
    },
  };
}
