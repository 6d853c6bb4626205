/**
 * The SQLite store's writes of the zone's dynamic content, each noting what it changed, and the
 * journal record that bumps the serial: every caller runs them inside its IMMEDIATE transaction,
 * so the change, the serial and the journal commit together (DESIGN rule 6). SQLite has one
 * writer at a time, so what a statement read is still true when the next one writes.
 */
import type Database from 'better-sqlite3';
import { inZone, previousSerial, type ZoneChanges } from '../zone-changes';
import { SQL, ZONE_SQL } from './sql';

/** The writes; `changes` collects what each did to the zone. */
export interface SqliteTxtWrites {
  /** Adds a value or refreshes its time (no change to the zone), then prunes the name to the policy. */
  put(key: string, value: string, now: number, changes: ZoneChanges): void;
  /** Removes one value; true when it was there. */
  remove(key: string, value: string, changes: ZoneChanges): boolean;
  /** Removes every value of the name; how many. */
  removeAll(key: string, changes: ZoneChanges): number;
  /** Keeps the newest `keep` values of the name (imports: no age limit). */
  pruneToKeep(key: string, changes: ZoneChanges): void;
  /** Publishes an own challenge value until `expiresAt`, dropping long-expired ones of the name. */
  putChallenge(name: string, value: string, expiresAt: number, changes: ZoneChanges): void;
  /** Withdraws an own challenge value. */
  removeChallenge(name: string, value: string, changes: ZoneChanges): void;
  /** Bumps the serial and writes one journal version when `changes` is not empty. */
  record(changes: ZoneChanges): void;
}

/** Builds the writes for the zone `zone` under the policy (`keep`, the age cutoff). */
export function sqliteTxtWrites(db: Database.Database, zone: string, keep: number, cutoff: (now: number) => number): SqliteTxtWrites {
  const exists = db.prepare(SQL.txtExists).pluck();
  const upsert = db.prepare(SQL.upsertTxt);
  const prune = db.prepare(SQL.pruneTxt).pluck();
  const deleteOne = db.prepare(SQL.deleteTxt);
  const deleteAll = db.prepare(SQL.deleteValues).pluck();
  const challengeExists = db.prepare(SQL.challengeExists).pluck();
  const insertChallenge = db.prepare(SQL.insertChallenge);
  const purgeChallenges = db.prepare(SQL.purgeChallenges).pluck();
  const deleteChallenge = db.prepare(SQL.deleteChallenge);
  const bump = db.prepare(ZONE_SQL.bump).pluck();
  const insertVersion = db.prepare(ZONE_SQL.insertVersion);
  const insertChange = db.prepare(ZONE_SQL.insertChange);

  const pruneTo = (key: string, before: number, changes: ZoneChanges): void => {
    for (const value of prune.all(key, before, key, keep) as string[]) changes.del(key, false, value);
  };
  // Values outside the zone are not its content: no serial step for them.
  const own = (name: string): boolean => inZone(name, zone);

  return {
    put(key, value, now, changes) {
      const fresh = exists.get(key, value) === undefined;
      upsert.run(key, value, now);
      if (fresh) changes.add(key, false, value);
      pruneTo(key, cutoff(now), changes);
    },
    remove(key, value, changes) {
      const removed = deleteOne.run(key, value).changes > 0;
      if (removed) changes.del(key, false, value);
      return removed;
    },
    removeAll(key, changes) {
      const values = deleteAll.all(key) as string[];
      for (const value of values) changes.del(key, false, value);
      return values.length;
    },
    pruneToKeep(key, changes) {
      pruneTo(key, -Infinity, changes);
    },
    putChallenge(name, value, expiresAt, changes) {
      for (const old of purgeChallenges.all(name, expiresAt - 86400) as string[]) if (own(name)) changes.del(name, true, old);
      const fresh = challengeExists.get(name, value) === undefined;
      insertChallenge.run(name, value, expiresAt);
      if (fresh && own(name)) changes.add(name, true, value);
    },
    removeChallenge(name, value, changes) {
      if (deleteChallenge.run(name, value).changes > 0 && own(name)) changes.del(name, true, value);
    },
    record(changes) {
      if (changes.empty) return;
      const to = bump.get() as number;
      const version = insertVersion.run(previousSerial(to), to, Math.floor(Date.now() / 1000)).lastInsertRowid;
      for (const r of changes.rows()) insertChange.run(version, r.op, r.name, r.own ? 1 : 0, r.value);
    },
  };
}
