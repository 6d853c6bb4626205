import { subdomainKey, type NameData, type TxtPolicy } from '../../core/types';
import type { Logger } from '../../log';
import { describeConnection, parsePostgresConnection, toClientConfig } from './connection';
import type { AuditContext } from '../admin-types';
import { pgAudit, pgAuditImported, postgresAdmin } from './admin';
import { postgresCluster } from './cluster';
import { postgresDnssec } from './dnssec';
import { migratePostgres, withOpenRetry } from './open';
import { createPgDb, type PostgresPoolOptions, type TxQuery } from './pool';
import { pgReads } from './reads';
import { GENERATION_SQL } from './reads-sql';
import { SQL } from './sql';
import { accountParams, toAccount, type AccountRow } from '../rows';
import type { ImportEntry, ImportResult, Store } from '../types';
import { ZoneChanges, normalizeZone } from '../zone-changes';
import { postgresTsig } from './tsig';
import { pgTxtWrites } from './txt-writes';
import { postgresZone } from './zone';

/** Where the PostgreSQL store lives, what it keeps, and how patient it is. */
export interface PostgresStoreOptions {
  /** acme-dns's `database.connection`: a postgres:// URL or a lib/pq key=value DSN. */
  readonly connection: string;
  readonly txt: TxtPolicy;
  /** The zone apex (config dns.domain): the journal's owners are `<subdomain>.<zone>`. */
  readonly zone: string;
  readonly pool?: PostgresPoolOptions;
  /** How long opening waits for an unreachable database before giving up (ms, default 30 000). */
  readonly openTimeoutMs?: number;
  /** Receives lost-connection and retry warnings; silent without one. */
  readonly logger?: Logger;
}

/** A value and the name it is at, as RETURNING gives them. */
interface NamedValue {
  name: string;
  value: string;
}

/** Accounts per multi-row statement in importAccounts: large enough for a million, small enough per message. */
const IMPORT_BATCH = 5000;

/**
 * The PostgreSQL store: same tables and semantics as the SQLite one, for several instances sharing
 * one database. DNS reads go through a cache per instance that is validated, for every query, by a
 * read that started after the query arrived (reads.ts): a value one instance acknowledged is
 * served by every instance at once.
 * Opening waits (with backoff) for the database and migrates it; later outages surface as
 * StoreUnavailableError and heal by themselves, because the pool connects anew on demand.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const params = parsePostgresConnection(options.connection);
  const where = describeConnection(params);
  const db = createPgDb(toClientConfig(params), options.pool ?? {}, where, options.logger);
  try {
    await withOpenRetry(() => migratePostgres(db, where), { timeoutMs: options.openTimeoutMs ?? 30_000 }, where, options.logger);
  } catch (err) {
    await db.end();
    throw err;
  }

  const { keep } = options.txt;
  const cutoff = (now: number): number =>
    options.txt.maxAgeSeconds > 0 ? Math.floor(now) - options.txt.maxAgeSeconds : Number.MIN_SAFE_INTEGER;

  const zone = normalizeZone(options.zone);
  // Every write of the zone's content, with its journal and the lock order (txt-writes.ts).
  const writes = pgTxtWrites(zone, keep, cutoff);
  // What DNS reads, cached; every write below bumps the generation that validates it (migration 006).
  const reads = pgReads(db, keep, cutoff);

  return {
    ...postgresAdmin(db, keep, cutoff, writes),
    ...postgresZone({ db, zone, keep, maxAgeSeconds: options.txt.maxAgeSeconds, cutoff, writes, serial: reads.serial }),
    ...postgresTsig(db),
    ...postgresCluster(db),
    ...postgresDnssec(db, zone),
    async createAccount(account, audit) {
      if (!audit) {
        await db.query('write', GENERATION_SQL.insertAccount, accountParams(account, nowSeconds()));
        return;
      }
      await db.transaction(async (q) => {
        await q(SQL.insertAccount, accountParams(account, nowSeconds()));
        await pgAudit(q, 'account.created', account, audit, { allowfrom: account.allowFrom });
        // NXDOMAIN becomes NODATA: no zone content, but an answer that changed.
        await q(GENERATION_SQL.touch);
      });
    },
    async findAccount(username) {
      const { rows } = await db.query<AccountRow>('read', SQL.selectAccount, [username]);
      return rows[0] && toAccount(rows[0]);
    },
    async putTxt(subdomain, value, now, audit) {
      const key = subdomainKey(subdomain);
      await db.transaction(async (q) => {
        const owner = (await q<{ username: string; subdomain: string }>(SQL.lockName, [key])).rows[0];
        if (owner === undefined) return;
        const changes = new ZoneChanges();
        await writes.put(q, key, value, now, changes);
        if (audit) await pgAudit(q, 'txt.updated', owner, audit);
        // A refresh changes no content, but the time the value ages by.
        await writes.record(q, changes, true);
      });
    },
    async removeTxt(subdomain, value, audit) {
      const key = subdomainKey(subdomain);
      return db.transaction(async (q) => {
        const owner = (await q<{ username: string; subdomain: string }>(SQL.lockName, [key])).rows[0];
        if (owner === undefined) return false;
        const changes = new ZoneChanges();
        const removed = await writes.remove(q, key, value, changes);
        if (removed && audit) await pgAudit(q, 'txt.removed', owner, audit, { removed: 1 });
        await writes.record(q, changes);
        return removed;
      });
    },
    lookup(subdomain, now): Promise<NameData | undefined> {
      return reads.lookup(subdomainKey(subdomain), now);
    },
    readGeneration: () => reads.generation(),
    async liveTxt(subdomain, now) {
      const { rows } = await db.query<{ value: string; updated_at: string | number }>('read', SQL.liveTxt, [subdomainKey(subdomain), cutoff(now), keep]);
      // bigint arrives as text (pg's default for int8).
      return rows.map((r) => ({ value: r.value, updatedAt: Number(r.updated_at) }));
    },
    async putChallenge(name, value, expiresAt) {
      const n = name.toLowerCase();
      await db.transaction(async (q) => {
        const changes = new ZoneChanges();
        await writes.putChallenge(q, n, value, expiresAt, changes);
        // A new expiry is no content change, but changes how long DNS serves the value.
        await writes.record(q, changes, true);
      });
    },
    async removeChallenge(name, value) {
      await db.transaction(async (q) => {
        const changes = new ZoneChanges();
        const removed = await writes.removeChallenge(q, name.toLowerCase(), value, changes);
        await writes.record(q, changes, removed);
      });
    },
    challengeValues(name, now) {
      return reads.challengeValues(name.toLowerCase(), now);
    },
    async importAccounts(entries, audit) {
      return db.transaction(async (q) => {
        const changes = new ZoneChanges();
        const result = await importAll(q, entries, keep, changes, audit);
        // One serial step for the whole import: one transaction, one version. Accounts created
        // without values change answers (NXDOMAIN -> NODATA) but not the content.
        await writes.record(q, changes, result.created > 0);
        return result;
      });
    },
    async ping() {
      await db.query('read', SQL.ping);
    },
    async close() {
      await db.end();
    },
  };
}

/** Bulk import in batches of multi-row statements, inside the caller's single transaction; audited when `audit` is given. */
async function importAll(q: TxQuery, entries: readonly ImportEntry[], keep: number, changes: ZoneChanges, audit?: AuditContext): Promise<ImportResult> {
  let created = 0;
  const now = nowSeconds();
  for (let start = 0; start < entries.length; start += IMPORT_BATCH) {
    const batch = entries.slice(start, start + IMPORT_BATCH);
    const columns: [string[], string[], string[], string[], string[]] = [[], [], [], [], []];
    const txt: [string[], string[], number[], string[]] = [[], [], [], []];
    for (const { account, values } of batch) {
      const [username, hash, subdomain, key, allowfrom] = accountParams(account, now);
      [username, hash, subdomain, key, allowfrom].forEach((v, c) => columns[c]?.push(v));
      for (const v of values) {
        txt[0].push(key);
        txt[1].push(v.value);
        txt[2].push(Math.floor(v.updatedAt));
        txt[3].push(username);
      }
    }
    const inserted = await q<{ username: string }>(SQL.importAccounts, [...columns, now]);
    created += inserted.rowCount ?? 0;
    if (audit) {
      const names = new Set(inserted.rows.map((r) => r.username));
      // delete, not has: should two entries share a username, only the one inserted is audited.
      await pgAuditImported(q, batch.filter((e) => names.delete(e.account.username)), audit);
    }
    if (txt[0].length > 0) for (const r of (await q<NamedValue>(SQL.importTxt, txt)).rows) changes.add(r.name, false, r.value);
    for (const r of (await q<NamedValue>(SQL.pruneImported, [[...new Set(columns[3])], keep])).rows) changes.del(r.name, false, r.value);
  }
  return { created, existing: entries.length - created };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
