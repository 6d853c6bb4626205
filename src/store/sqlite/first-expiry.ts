/**
 * The first whole second at which a value stored now stops being served (firstExpirySecond):
 * what the zone's sweep is planned on (zone.ts nextZoneExpiry) and how long a cached reply may
 * be replayed (reads.ts answerEpoch). Two index reads; undefined when nothing ever expires.
 */
import type Database from 'better-sqlite3';
import { firstExpirySecond } from '../zone-changes';
import { ZONE_SQL } from './sql';

/** A reader of that second on `db`, for values aging out after `maxAgeSeconds` (0: never). */
export function firstExpiryReader(db: Database.Database, maxAgeSeconds: number): () => number | undefined {
  const earliestChallenge = db.prepare(ZONE_SQL.earliestChallenge).pluck();
  const oldestTxt = db.prepare(ZONE_SQL.oldestTxt).pluck();
  return () => firstExpirySecond(earliestChallenge.get() as number | null, oldestTxt.get() as number | null, maxAgeSeconds);
}
