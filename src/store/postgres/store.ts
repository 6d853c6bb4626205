import { subdomainKey, type NameData, type TxtPolicy } from '../../core/types';
import type { Logger } from '../../log';
import { describeConnection, parsePostgresConnection, toClientConfig } from './connection';
import type { AuditContext } from '../admin-types';
import { pgAudit, pgAuditImported, postgresAdmin } from './admin';
import { postgresCluster } from './cluster';
import { migratePostgres, withOpenRetry } from './open';
import { createPgDb, type PostgresPoolOptions, type TxQuery } from './pool';
import { SQL } from './sql';
import { accountParams, toAccount, type AccountRow } from '../rows';
import type { ImportEntry, ImportResult, Store } from '../types';
import { zonePending } from '../zone-pending';

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

/** Accounts per multi-row statement in importAccounts: large enough for a million, small enough per message. */
const IMPORT_BATCH = 5000;

/**
 * The PostgreSQL store: same tables and semantics as the SQLite one, for several instances sharing
 * one database. No cache: a value one instance acknowledged is served by every instance at once.
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

  return {
    ...postgresAdmin(db, keep, cutoff),
    ...zonePending,
    ...postgresCluster(db),
    async createAccount(account, audit) {
      if (!audit) {
        await db.query('write', SQL.insertAccount, accountParams(account, nowSeconds()));
        return;
      }
      await db.transaction(async (q) => {
        await q(SQL.insertAccount, accountParams(account, nowSeconds()));
        await pgAudit(q, 'account.created', account, audit, { allowfrom: account.allowFrom });
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
        await q(SQL.upsertTxt, [key, value, Math.floor(now)]);
        await q(SQL.pruneTxt, [key, cutoff(now), keep]);
        if (audit) await pgAudit(q, 'txt.updated', owner, audit);
      });
    },
    async removeTxt(subdomain, value, audit) {
      const key = subdomainKey(subdomain);
      return db.transaction(async (q) => {
        const owner = (await q<{ username: string; subdomain: string }>(SQL.lockName, [key])).rows[0];
        if (owner === undefined) return false;
        const removed = ((await q(SQL.deleteTxt, [key, value])).rowCount ?? 0) > 0;
        if (removed && audit) await pgAudit(q, 'txt.removed', owner, audit, { removed: 1 });
        return removed;
      });
    },
    async lookup(subdomain, now): Promise<NameData | undefined> {
      const { rows } = await db.query<{ value: string | null }>('read', SQL.lookupName, [cutoff(now), subdomainKey(subdomain), keep]);
      if (rows.length === 0) return undefined;
      return { values: rows.flatMap((r) => (r.value === null ? [] : [r.value])) };
    },
    async putChallenge(name, value, expiresAt) {
      const n = name.toLowerCase();
      await db.transaction(async (q) => {
        await q(SQL.purgeChallenges, [n, Math.floor(expiresAt) - 86400]);
        await q(SQL.upsertChallenge, [n, value, Math.floor(expiresAt)]);
      });
    },
    async removeChallenge(name, value) {
      await db.query('write', SQL.deleteChallenge, [name.toLowerCase(), value]);
    },
    async challengeValues(name, now) {
      const { rows } = await db.query<{ value: string }>('read', SQL.selectChallenges, [name.toLowerCase(), Math.floor(now)]);
      return rows.map((r) => r.value);
    },
    async importAccounts(entries, audit) {
      return db.transaction((q) => importAll(q, entries, keep, audit));
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
async function importAll(q: TxQuery, entries: readonly ImportEntry[], keep: number, audit?: AuditContext): Promise<ImportResult> {
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
    if (txt[0].length > 0) await q(SQL.importTxt, txt);
    await q(SQL.pruneImported, [[...new Set(columns[3])], keep]);
  }
  return { created, existing: entries.length - created };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
