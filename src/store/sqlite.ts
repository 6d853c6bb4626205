import { StoreConflictError, StoreUnavailableError } from '../core/errors';
import { subdomainKey, type Account, type NameData, type TxtPolicy } from '../core/types';
import type { ImportEntry, ImportResult, Store } from './types';
import { openSqliteDatabase } from './sqlite-open';

/** Where the SQLite store lives and what it keeps. */
export interface SqliteStoreOptions {
  /** Database file (`:memory:` for throwaway use). */
  readonly file: string;
  readonly txt: TxtPolicy;
}

interface AccountRow {
  username: string;
  password_hash: string | Buffer;
  subdomain: string;
  allowfrom: string;
}

/**
 * The default store: one SQLite file through better-sqlite3. Its calls are synchronous and take
 * microseconds with the indexes in migrations/sqlite, so the DNS hot path does one indexed read
 * per query without leaving the event loop.
 */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  const db = openSqliteDatabase(options.file);
  const { keep } = options.txt;
  const cutoff = (now: number): number => (options.txt.maxAgeSeconds > 0 ? now - options.txt.maxAgeSeconds : -Infinity);

  const insertAccount = db.prepare(
    'INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, allowfrom, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const importAccount = db.prepare(
    'INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, allowfrom, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const selectAccount = db.prepare('SELECT username, password_hash, subdomain, allowfrom FROM accounts WHERE username = ?');
  const upsertTxt = db.prepare(
    'INSERT INTO txt_values (subdomain_key, value, updated_at) VALUES (?, ?, ?) ' +
      'ON CONFLICT (subdomain_key, value) DO UPDATE SET updated_at = max(updated_at, excluded.updated_at)',
  );
  const importTxt = db.prepare(
    'INSERT INTO txt_values (subdomain_key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  // Keep the newest `keep` values that are younger than the cutoff; drop the rest.
  const pruneTxt = db.prepare(
    'DELETE FROM txt_values WHERE subdomain_key = ? AND (updated_at < ? OR id NOT IN (' +
      'SELECT id FROM txt_values WHERE subdomain_key = ? ORDER BY updated_at DESC, id DESC LIMIT ?))',
  );
  // One indexed statement: no row = no account; a row with NULL value = an account without values.
  const lookupName = db.prepare(
    'SELECT t.value AS value FROM accounts a LEFT JOIN txt_values t ' +
      'ON t.subdomain_key = a.subdomain_key AND t.updated_at >= ? ' +
      'WHERE a.subdomain_key = ? ORDER BY t.updated_at DESC, t.id DESC LIMIT ?',
  );

  const insertChallenge = db.prepare(
    'INSERT INTO challenges (name, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (name, value) DO UPDATE SET expires_at = excluded.expires_at',
  );
  const deleteChallenge = db.prepare('DELETE FROM challenges WHERE name = ? AND value = ?');
  // Values that expired long before the one being published are garbage; reads ignore them anyway.
  const purgeChallenges = db.prepare('DELETE FROM challenges WHERE name = ? AND expires_at < ?');
  const selectChallenges = db.prepare('SELECT value FROM challenges WHERE name = ? AND expires_at >= ? ORDER BY value');

  const putTxt = db.transaction((key: string, value: string, now: number) => {
    upsertTxt.run(key, value, now);
    pruneTxt.run(key, cutoff(now), key, keep);
  });
  const importAll = db.transaction((entries: readonly ImportEntry[]): ImportResult => {
    let created = 0;
    const now = Math.floor(Date.now() / 1000);
    for (const { account, values } of entries) {
      const key = subdomainKey(account.subdomain);
      created += importAccount.run(...accountParams(account, now)).changes;
      for (const v of values) importTxt.run(key, v.value, v.updatedAt);
      pruneTxt.run(key, -Infinity, key, keep);
    }
    return { created, existing: entries.length - created };
  });

  return {
    async createAccount(account) {
      guard(() => insertAccount.run(...accountParams(account, Math.floor(Date.now() / 1000))));
    },
    async findAccount(username) {
      const row = guard(() => selectAccount.get(username) as AccountRow | undefined);
      return row && toAccount(row);
    },
    async putTxt(subdomain, value, nowSeconds) {
      guard(() => putTxt(subdomainKey(subdomain), value, nowSeconds));
    },
    async lookup(subdomain, nowSeconds): Promise<NameData | undefined> {
      const rows = guard(
        () => lookupName.all(cutoff(nowSeconds), subdomainKey(subdomain), keep) as { value: string | null }[],
      );
      if (rows.length === 0) return undefined;
      return { values: rows.flatMap((r) => (r.value === null ? [] : [r.value])) };
    },
    async putChallenge(name, value, expiresAt) {
      guard(() => {
        purgeChallenges.run(name.toLowerCase(), expiresAt - 86400);
        insertChallenge.run(name.toLowerCase(), value, expiresAt);
      });
    },
    async removeChallenge(name, value) {
      guard(() => deleteChallenge.run(name.toLowerCase(), value));
    },
    async challengeValues(name, nowSeconds) {
      return guard(() => selectChallenges.pluck().all(name.toLowerCase(), nowSeconds) as string[]);
    },
    async importAccounts(entries) {
      return guard(() => importAll(entries));
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

function accountParams(a: Account, now: number): [string, string, string, string, string, number] {
  return [a.username, a.passwordHash, a.subdomain, subdomainKey(a.subdomain), JSON.stringify(a.allowFrom), now];
}

function toAccount(row: AccountRow): Account {
  const parsed: unknown = JSON.parse(row.allowfrom);
  return {
    username: row.username,
    // acme-dns's Go driver stored the hash as a BLOB; accept both.
    passwordHash: typeof row.password_hash === 'string' ? row.password_hash : row.password_hash.toString('utf8'),
    subdomain: row.subdomain,
    allowFrom: Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [],
  };
}

/** Maps driver errors to the store's typed errors; the message keeps the driver's text for the log. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
      throw new StoreConflictError((err as Error).message);
    }
    throw new StoreUnavailableError(`sqlite: ${(err as Error).message}`, { cause: err });
  }
}
