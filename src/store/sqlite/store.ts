import { subdomainKey, type Account, type NameData, type TxtPolicy } from '../../core/types';
import type { AuditContext } from '../admin-types';
import type { ImportEntry, ImportResult, Store } from '../types';
import { accountParams, importedDetail, toAccount, type AccountRow } from '../rows';
import { sqliteAdmin, sqliteAuditWriter } from './admin';
import { sqliteCluster } from './cluster';
import { sqliteDnssec } from './dnssec';
import { sqlAccounts } from './account-source';
import { sqliteReads } from './reads';
import { storeError, withStoreErrors } from './errors';
import { openSqliteDatabase } from './open';
import { SQL } from './sql';
import type { Logger } from '../../log';
import { ZoneChanges, normalizeZone } from '../zone-changes';
import { sqliteTsig } from './tsig';
import { sqliteTxtWrites } from './txt-writes';
import { sqliteZone } from './zone';

/** Where the SQLite store lives and what it keeps. */
export interface SqliteStoreOptions {
  /** Database file (`:memory:` for throwaway use). */
  readonly file: string;
  readonly txt: TxtPolicy;
  /** The zone apex (config dns.domain): the journal's owners are `<subdomain>.<zone>`. */
  readonly zone: string;
  /** Receives the start's warnings about file modes that let other users in. */
  readonly logger?: Logger;
  /**
   * False in a process that answers no DNS (the primary of DNS workers, the CLI): lookups read
   * SQLite instead of an in-memory index of every account (account-source.ts). Default true.
   */
  readonly accountIndex?: boolean;
}

/**
 * The default store: one SQLite file through better-sqlite3. Its calls are synchronous and take
 * microseconds with the indexes in migrations/sqlite; the DNS hot path's reads are cached while
 * the database is unchanged (reads.ts), so it seldom reaches SQLite at all.
 */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  const db = openSqliteDatabase(options.file, (message) => options.logger?.warn({ file: options.file }, message));
  const { keep } = options.txt;
  const cutoff = (now: number): number => (options.txt.maxAgeSeconds > 0 ? now - options.txt.maxAgeSeconds : -Infinity);

  const insertAccount = db.prepare(SQL.insertAccount);
  const importAccount = db.prepare(SQL.importAccount);
  const selectAccount = db.prepare(SQL.selectAccount);
  const selectOwner = db.prepare(SQL.selectOwner);
  const audit = sqliteAuditWriter(db);
  const subdomainOwner = db.prepare(SQL.subdomainOwner).pluck();
  const importTxt = db.prepare(SQL.importTxt);
  // The DNS hot path's reads, cached while the database is unchanged (reads.ts); undefined: the index.
  const accounts = options.accountIndex === false ? sqlAccounts(db, keep) : undefined;
  const reads = sqliteReads(db, options.file, keep, options.txt.maxAgeSeconds, accounts);
  const zone = normalizeZone(options.zone);
  // Every write of the zone's content, with its journal (txt-writes.ts).
  const writes = sqliteTxtWrites(db, zone, keep, cutoff);
  const selectOne = db.prepare(SQL.ping);
  const liveTxt = db.prepare(SQL.liveTxt);

  /** A read for a caller that does not validate first (every one but syncReads' queries). */
  function fresh<A extends unknown[], R>(read: (...args: A) => R): (...args: A) => R {
    return (...args) => {
      reads.validate();
      return read(...args);
    };
  }
  // The DNS reads with the keys normalised, as of the last validate(): syncReads' and, fresh, the async ones.
  const cachedLookup = (subdomain: string, nowSeconds: number): NameData | undefined => reads.lookup(subdomainKey(subdomain), nowSeconds);
  // syncReads' lookup and peekAccount: the same read (only the daemon's timing tells them apart).
  const syncLookup = (subdomain: string, nowSeconds: number): NameData | undefined => {
    try {
      return cachedLookup(subdomain, nowSeconds);
    } catch (err) {
      throw storeError(err);
    }
  };
  const cachedChallenges = (name: string, nowSeconds: number): readonly string[] => reads.challengeValues(name.toLowerCase(), nowSeconds);
  const lookup = fresh(cachedLookup);
  const challengeValues = fresh(cachedChallenges);

  const create = db.transaction((account: Account, ctx?: AuditContext) => {
    insertAccount.run(...accountParams(account, Math.floor(Date.now() / 1000)));
    if (ctx) audit('account.created', account, ctx, { allowfrom: account.allowFrom });
  });
  // The owner is read first (so the transaction is IMMEDIATE): a name whose account was deleted
  // after the caller authenticated keeps no value, and the audit entry names the account.
  const putTxt = db.transaction((key: string, value: string, now: number, ctx?: AuditContext) => {
    const owner = selectOwner.get(key) as { username: string; subdomain: string } | undefined;
    if (owner === undefined) return;
    const changes = new ZoneChanges();
    writes.put(key, value, now, changes);
    writes.record(changes);
    if (ctx) audit('txt.updated', owner, ctx);
  });
  // Same order as putTxt: the owner first, so the audit entry names the account.
  const removeTxt = db.transaction((key: string, value: string, ctx?: AuditContext): boolean => {
    const owner = selectOwner.get(key) as { username: string; subdomain: string } | undefined;
    if (owner === undefined) return false;
    const changes = new ZoneChanges();
    const removed = writes.remove(key, value, changes);
    writes.record(changes);
    if (removed && ctx) audit('txt.removed', owner, ctx, { removed: 1 });
    return removed;
  });
  const importAll = db.transaction((entries: readonly ImportEntry[], ctx?: AuditContext): ImportResult => {
    let created = 0;
    const now = Math.floor(Date.now() / 1000);
    const changes = new ZoneChanges();
    for (const { account, values } of entries) {
      const key = subdomainKey(account.subdomain);
      const added = importAccount.run(...accountParams(account, now)).changes;
      created += added;
      if (added > 0 && ctx) audit('account.imported', account, ctx, importedDetail(account.allowFrom, values.length));
      if (subdomainOwner.get(key) !== account.username) continue;
      for (const v of values) if (importTxt.run(key, v.value, v.updatedAt).changes > 0) changes.add(key, false, v.value);
      writes.pruneToKeep(key, changes);
    }
    // One serial step for the whole import: one transaction, one version.
    writes.record(changes);
    return { created, existing: entries.length - created };
  });

  const challenge = db.transaction((name: string, value: string, expiresAt: number | undefined) => {
    const changes = new ZoneChanges();
    if (expiresAt === undefined) writes.removeChallenge(name, value, changes);
    else writes.putChallenge(name, value, expiresAt, changes);
    writes.record(changes);
  });

  return {
    ...sqliteAdmin(db, keep, cutoff, audit, writes),
    ...sqliteZone({ db, zone, keep, maxAgeSeconds: options.txt.maxAgeSeconds, cutoff, writes, audit, serial: fresh(() => reads.serial()) }),
    ...sqliteTsig(db, audit),
    ...sqliteCluster(db),
    ...sqliteDnssec(db, zone),
    async createAccount(account, ctx) {
      withStoreErrors(() => create.immediate(account, ctx));
    },
    async findAccount(username) {
      const row = withStoreErrors(() => selectAccount.get(username) as AccountRow | undefined);
      return row && toAccount(row);
    },
    async putTxt(subdomain, value, nowSeconds, ctx) {
      withStoreErrors(() => putTxt.immediate(subdomainKey(subdomain), value, nowSeconds, ctx));
    },
    async removeTxt(subdomain, value, ctx) {
      return withStoreErrors(() => removeTxt.immediate(subdomainKey(subdomain), value, ctx));
    },
    async lookup(subdomain, nowSeconds): Promise<NameData | undefined> {
      return withStoreErrors(() => lookup(subdomain, nowSeconds));
    },
    async liveTxt(subdomain, nowSeconds) {
      const rows = withStoreErrors(() => liveTxt.all(subdomainKey(subdomain), cutoff(nowSeconds), keep) as { value: string; updated_at: number }[]);
      return rows.map((r) => ({ value: r.value, updatedAt: r.updated_at }));
    },
    async putChallenge(name, value, expiresAt) {
      withStoreErrors(() => challenge.immediate(name.toLowerCase(), value, expiresAt));
    },
    async removeChallenge(name, value) {
      withStoreErrors(() => challenge.immediate(name.toLowerCase(), value, undefined));
    },
    async challengeValues(name, nowSeconds) {
      return withStoreErrors(() => challengeValues(name, nowSeconds));
    },
    // The DNS hot path without promises: one validation per query (begin), then cached reads.
    syncReads: {
      // Each query's first read, and a random account's only one: their errors mapped without a closure (errors.ts storeError).
      begin: () => {
        try {
          return reads.validate();
        } catch (err) {
          throw storeError(err);
        }
      },
      answerEpoch: (nowSeconds) => {
        try {
          return reads.answerEpoch(nowSeconds);
        } catch (err) {
          throw storeError(err);
        }
      },
      lookup: syncLookup,
      challengeValues: (name, nowSeconds) => withStoreErrors(() => cachedChallenges(name, nowSeconds)),
      peekAccount: syncLookup,
      writeSoleValue: (query, from, nowSeconds, length, out, at) => {
        try {
          return reads.writeSoleValue(query, from, nowSeconds, length, out, at);
        } catch (err) {
          throw storeError(err);
        }
      },
      accountAbsent: (query, from, length) => {
        try {
          return reads.accountAbsent(query, from, length);
        } catch (err) {
          throw storeError(err);
        }
      },
      touchAccounts: (queries, from, length) => reads.touchAccounts(queries, from, length),
      zoneSerial: () => withStoreErrors(() => reads.serial()),
    },
    async importAccounts(entries, ctx) {
      return withStoreErrors(() => importAll.immediate(entries, ctx));
    },
    async ping() {
      withStoreErrors(() => selectOne.get());
    },
    async close() {
      reads.close();
      if (db.open) db.close();
    },
  };
}
