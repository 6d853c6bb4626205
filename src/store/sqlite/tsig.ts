/**
 * The SQLite store's TSIG keys (RFC 8945): stored with their secret, because the server computes
 * the HMAC to verify an RFC 2136 update; the audit entries name the key, never the secret.
 */
import type Database from 'better-sqlite3';
import { toStoredTsigKey, tsigDetail, type OwnerRow, type TsigKeyRow } from '../rows';
import { normalizeName } from '../zone-changes';
import type { StoredTsigKey, TsigAlgorithm, TsigKeyPort } from '../zone-types';
import type { AuditContext } from '../admin-types';
import type { AuditWriter } from './admin';
import { withStoreErrors } from './errors';
import { ADMIN_SQL, TSIG_SQL } from './sql';

interface NewKey {
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  readonly secret: Buffer;
}

/** The TsigKeyPort half of the SQLite store. */
export function sqliteTsig(db: Database.Database, audit: AuditWriter): TsigKeyPort {
  const owner = db.prepare(ADMIN_SQL.owner);
  const insert = db.prepare(TSIG_SQL.insert);
  const byAccount = db.prepare(TSIG_SQL.byAccount);
  const byName = db.prepare(TSIG_SQL.byName);
  const remove = db.prepare(TSIG_SQL.delete);

  const add = db.transaction((username: string, key: NewKey, now: number, ctx?: AuditContext): boolean => {
    const row = owner.get(username) as OwnerRow | undefined;
    if (row === undefined) return false;
    const name = normalizeName(key.name);
    insert.run(name, username, key.algorithm, key.secret.toString('base64'), Math.floor(now));
    if (ctx) audit('tsig.added', row, ctx, tsigDetail({ name, algorithm: key.algorithm }));
    return true;
  });
  const drop = db.transaction((name: string, username: string | undefined, ctx?: AuditContext): boolean => {
    const row = byName.get(name) as TsigKeyRow | undefined;
    if (row === undefined || (username !== undefined && row.username !== username)) return false;
    remove.run(name);
    if (ctx) audit('tsig.removed', row, ctx, tsigDetail(row));
    return true;
  });

  return {
    async addTsigKey(username, key, nowSeconds, ctx) {
      return withStoreErrors(() => add.immediate(username, key, nowSeconds, ctx));
    },
    async listTsigKeys(username): Promise<readonly StoredTsigKey[]> {
      return withStoreErrors(() => (byAccount.all(username) as TsigKeyRow[]).map(toStoredTsigKey));
    },
    async findTsigKey(name) {
      const row = withStoreErrors(() => byName.get(normalizeName(name)) as TsigKeyRow | undefined);
      return row && toStoredTsigKey(row);
    },
    async removeTsigKey(name, username, ctx) {
      return withStoreErrors(() => drop.immediate(normalizeName(name), username, ctx));
    },
  };
}
