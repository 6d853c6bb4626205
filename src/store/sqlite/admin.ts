/**
 * The SQLite store's account management and audit trail. Every change and its audit entry run in
 * one IMMEDIATE transaction: the write lock is taken before the first read, so a change made by
 * `acmedns accounts` while the server runs waits for the other writer (busy_timeout) instead of
 * failing on a stale WAL snapshot.
 */
import type Database from 'better-sqlite3';
import { subdomainKey } from '../../core/types';
import type { AuditAction, AuditContext, AuditQuery } from '../admin-types';
import type { AccountAdmin } from '../types';
import { auditListSql, auditValues, toAuditEntry, toSummary, type AuditRow, type OwnerRow, type SummaryRow } from '../rows';
import { ZoneChanges } from '../zone-changes';
import { withStoreErrors } from './errors';
import { ADMIN_SQL, TSIG_SQL } from './sql';
import type { SqliteTxtWrites } from './txt-writes';

/** Writes one audit entry inside the caller's transaction. */
export type AuditWriter = (
  action: AuditAction,
  owner: { readonly username: string; readonly subdomain: string },
  ctx: AuditContext,
  detail?: Readonly<Record<string, unknown>>,
) => void;

/** The audit insert, prepared once. */
export function sqliteAuditWriter(db: Database.Database): AuditWriter {
  const insert = db.prepare(ADMIN_SQL.insertAudit);
  return (action, owner, ctx, detail) => {
    insert.run(...auditValues(action, owner.username, owner.subdomain, ctx, detail ?? null));
  };
}

/** The AccountAdmin half of the SQLite store. */
export function sqliteAdmin(
  db: Database.Database,
  keep: number,
  cutoff: (now: number) => number,
  audit: AuditWriter,
  writes: SqliteTxtWrites,
): AccountAdmin {
  const page = db.prepare(ADMIN_SQL.listAccounts);
  const describe = db.prepare(ADMIN_SQL.describeAccount);
  const owner = db.prepare(ADMIN_SQL.owner);
  const ownerOfName = db.prepare(ADMIN_SQL.ownerOfName);
  const deleteKeys = db.prepare(TSIG_SQL.deleteOfAccount);
  const deleteAccount = db.prepare(ADMIN_SQL.deleteAccount);
  const updateHash = db.prepare(ADMIN_SQL.updateHash);
  const updateAllowFrom = db.prepare(ADMIN_SQL.updateAllowFrom);
  const auditQueries = new Map<string, Database.Statement>();
  const pruneAudit = db.prepare(ADMIN_SQL.pruneAudit);

  const remove = db.transaction((username: string, ctx?: AuditContext): boolean => {
    const row = owner.get(username) as OwnerRow | undefined;
    if (row === undefined) return false;
    const changes = new ZoneChanges();
    const removed = writes.removeAll(row.subdomain_key, changes);
    deleteKeys.run(username);
    deleteAccount.run(username);
    writes.record(changes);
    if (ctx) audit('account.deleted', row, ctx, { removed });
    return true;
  });
  const setHash = db.transaction((username: string, hash: string, ctx?: AuditContext): boolean => {
    const row = owner.get(username) as OwnerRow | undefined;
    if (row === undefined) return false;
    updateHash.run(hash, username);
    if (ctx) audit('password.rotated', row, ctx);
    return true;
  });
  const setAllow = db.transaction((username: string, list: readonly string[], ctx?: AuditContext): boolean => {
    const row = owner.get(username) as OwnerRow | undefined;
    if (row === undefined) return false;
    updateAllowFrom.run(JSON.stringify(list), username);
    if (ctx) audit('allowfrom.changed', row, ctx, { allowfrom: list, previous: JSON.parse(row.allowfrom) as unknown });
    return true;
  });
  const clear = db.transaction((key: string, ctx?: AuditContext): number | undefined => {
    const row = ownerOfName.get(key) as OwnerRow | undefined;
    if (row === undefined) return undefined;
    const changes = new ZoneChanges();
    const removed = writes.removeAll(key, changes);
    writes.record(changes);
    if (ctx) audit('txt.cleared', row, ctx, { removed });
    return removed;
  });

  return {
    async listAccounts({ after, limit, nowSeconds }) {
      const c = cutoff(nowSeconds ?? Math.floor(Date.now() / 1000));
      const rows = withStoreErrors(() => page.all(c, c, after ?? '', limit) as SummaryRow[]);
      return rows.map((r) => toSummary(r, keep));
    },
    async describeAccount(usernameOrSubdomain, nowSeconds) {
      const c = cutoff(nowSeconds ?? Math.floor(Date.now() / 1000));
      const row = withStoreErrors(
        () => describe.get(c, c, usernameOrSubdomain, subdomainKey(usernameOrSubdomain), usernameOrSubdomain) as SummaryRow | undefined,
      );
      return row && toSummary(row, keep);
    },
    async deleteAccount(username, ctx) {
      return withStoreErrors(() => remove.immediate(username, ctx));
    },
    async setPasswordHash(username, hash, ctx) {
      return withStoreErrors(() => setHash.immediate(username, hash, ctx));
    },
    async setAllowFrom(username, list, ctx) {
      return withStoreErrors(() => setAllow.immediate(username, list, ctx));
    },
    async clearTxt(subdomain, ctx) {
      return withStoreErrors(() => clear.immediate(subdomainKey(subdomain), ctx));
    },
    async listAudit(query: AuditQuery) {
      const { text, values } = auditListSql(query, () => '?');
      return withStoreErrors(() => {
        let statement = auditQueries.get(text);
        if (statement === undefined) {
          statement = db.prepare(text);
          auditQueries.set(text, statement);
        }
        return (statement.all(...values) as AuditRow[]).map(toAuditEntry);
      });
    },
    async pruneAudit(before, limit) {
      return withStoreErrors(() => pruneAudit.run(Math.floor(before), Math.max(0, Math.floor(limit))).changes);
    },
  };
}
