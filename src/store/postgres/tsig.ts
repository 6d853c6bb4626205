/**
 * The PostgreSQL store's TSIG keys (RFC 8945): stored with their secret, because every instance
 * computes the HMAC to verify an RFC 2136 update; the audit entries name the key, never the secret.
 */
import { toStoredTsigKey, tsigDetail, type OwnerRow, type TsigKeyRow } from '../rows';
import { normalizeName } from '../zone-changes';
import type { TsigKeyPort } from '../zone-types';
import { pgAudit } from './admin';
import type { PgDb } from './pool';
import { ADMIN_SQL } from './sql';
import { TSIG_SQL } from './zone-sql';

/** The TsigKeyPort half of the PostgreSQL store. */
export function postgresTsig(db: PgDb): TsigKeyPort {
  return {
    addTsigKey(username, key, nowSeconds, ctx) {
      const name = normalizeName(key.name);
      return db.transaction(async (q) => {
        // The account's row first (as every change of an account): a deletion in flight waits or is seen.
        const row = (await q<OwnerRow>(ADMIN_SQL.lockOwner, [username])).rows[0];
        if (row === undefined) return false;
        await q(TSIG_SQL.insert, [name, username, key.algorithm, key.secret.toString('base64'), Math.floor(nowSeconds)]);
        if (ctx) await pgAudit(q, 'tsig.added', row, ctx, tsigDetail({ name, algorithm: key.algorithm }));
        return true;
      });
    },
    async listTsigKeys(username) {
      const { rows } = await db.query<TsigKeyRow>('read', TSIG_SQL.byAccount, [username]);
      return rows.map(toStoredTsigKey);
    },
    async findTsigKey(name) {
      const row = (await db.query<TsigKeyRow>('read', TSIG_SQL.byName, [normalizeName(name)])).rows[0];
      return row && toStoredTsigKey(row);
    },
    removeTsigKey(name, username, ctx) {
      return db.transaction(async (q) => {
        const row = (await q<TsigKeyRow>(TSIG_SQL.lockByName, [normalizeName(name)])).rows[0];
        if (row === undefined || (username !== undefined && row.username !== username)) return false;
        await q(TSIG_SQL.delete, [row.name]);
        if (ctx) await pgAudit(q, 'tsig.removed', row, ctx, tsigDetail(row));
        return true;
      });
    },
  };
}
