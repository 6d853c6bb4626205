/**
 * The SQLite store's account management and audit trail. Every change and its audit entry run in
 * one IMMEDIATE transaction: the write lock is taken before the first read, so a change made by
 * `acmedns accounts` while the server runs waits for the other writer (busy_timeout) instead of
 * failing on a stale WAL snapshot.
 */
import type Database from 'better-sqlite3';
import { subdomainKey } from '../../core/types';
import type { AccountAdmin, AuditAction, AuditContext, AuditQuery } from '../admin-types';
import { AUDIT_COLUMNS, auditListSql, auditValues, toAuditEntry, toSummary, type AuditRow, type SummaryRow } from '../rows';
import { guard } from './errors';

/** Writes one audit entry inside the caller's transaction. */
export type AuditWriter = (
  action: AuditAction,
  owner: { readonly username: string; readonly subdomain: string },
  ctx: AuditContext,
  detail?: Readonly<Record<string, unknown>>,
) => void;

/** The audit insert, prepared once. */
export function sqliteAuditWriter(db: Database.Database): AuditWriter {
  const insert = db.prepare(`INSERT INTO audit (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  return (action, owner, ctx, detail) => {
    insert.run(...auditValues(action, owner.username, owner.subdomain, ctx, detail ?? null));
  };
}

interface Owner {
  username: string;
  subdomain: string;
  subdomain_key: string;
  allowfrom: string;
}

// Live values: not older than the cutoff (the policy's maximum age), as DNS serves them.
const SUMMARY =
  'SELECT a.username, a.subdomain, a.allowfrom, a.created_at, ' +
  '(SELECT count(*) FROM txt_values t WHERE t.subdomain_key = a.subdomain_key AND t.updated_at >= ?) AS live, ' +
  '(SELECT max(t.updated_at) FROM txt_values t WHERE t.subdomain_key = a.subdomain_key AND t.updated_at >= ?) AS last ' +
  'FROM accounts a';

/** The AccountAdmin half of the SQLite store. */
export function sqliteAdmin(db: Database.Database, keep: number, cutoff: (now: number) => number, audit: AuditWriter): AccountAdmin {
  const page = db.prepare(`${SUMMARY} WHERE a.username > ? ORDER BY a.username LIMIT ?`);
  const describe = db.prepare(`${SUMMARY} WHERE a.username = ? OR a.subdomain_key = ? ORDER BY a.username = ? DESC LIMIT 1`);
  const owner = db.prepare('SELECT username, subdomain, subdomain_key, allowfrom FROM accounts WHERE username = ?');
  const ownerOfName = db.prepare('SELECT username, subdomain, subdomain_key, allowfrom FROM accounts WHERE subdomain_key = ?');
  const deleteValues = db.prepare('DELETE FROM txt_values WHERE subdomain_key = ?');
  const deleteAccount = db.prepare('DELETE FROM accounts WHERE username = ?');
  const updateHash = db.prepare('UPDATE accounts SET password_hash = ? WHERE username = ?');
  const updateAllowFrom = db.prepare('UPDATE accounts SET allowfrom = ? WHERE username = ?');
  const auditQueries = new Map<string, Database.Statement>();
  // Through audit_by_time (at, and the rowid it carries): the oldest `limit` entries without a scan.
  const pruneAudit = db.prepare('DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < ? ORDER BY at LIMIT ?)');

  const remove = db.transaction((username: string, ctx?: AuditContext): boolean => {
    const row = owner.get(username) as Owner | undefined;
    if (row === undefined) return false;
    const removed = deleteValues.run(row.subdomain_key).changes;
    deleteAccount.run(username);
    if (ctx) audit('account.deleted', row, ctx, { removed });
    return true;
  });
  const setHash = db.transaction((username: string, hash: string, ctx?: AuditContext): boolean => {
    const row = owner.get(username) as Owner | undefined;
    if (row === undefined) return false;
    updateHash.run(hash, username);
    if (ctx) audit('password.rotated', row, ctx);
    return true;
  });
  const setAllow = db.transaction((username: string, list: readonly string[], ctx?: AuditContext): boolean => {
    const row = owner.get(username) as Owner | undefined;
    if (row === undefined) return false;
    updateAllowFrom.run(JSON.stringify(list), username);
    if (ctx) audit('allowfrom.changed', row, ctx, { allowfrom: list, previous: JSON.parse(row.allowfrom) as unknown });
    return true;
  });
  const clear = db.transaction((key: string, ctx?: AuditContext): number | undefined => {
    const row = ownerOfName.get(key) as Owner | undefined;
    if (row === undefined) return undefined;
    const removed = deleteValues.run(key).changes;
    if (ctx) audit('txt.cleared', row, ctx, { removed });
    return removed;
  });

  return {
    async listAccounts({ after, limit, nowSeconds }) {
      const c = cutoff(nowSeconds ?? Math.floor(Date.now() / 1000));
      const rows = guard(() => page.all(c, c, after ?? '', limit) as SummaryRow[]);
      return rows.map((r) => toSummary(r, keep));
    },
    async describeAccount(usernameOrSubdomain, nowSeconds) {
      const c = cutoff(nowSeconds ?? Math.floor(Date.now() / 1000));
      const row = guard(
        () => describe.get(c, c, usernameOrSubdomain, subdomainKey(usernameOrSubdomain), usernameOrSubdomain) as SummaryRow | undefined,
      );
      return row && toSummary(row, keep);
    },
    async deleteAccount(username, ctx) {
      return guard(() => remove.immediate(username, ctx));
    },
    async setPasswordHash(username, hash, ctx) {
      return guard(() => setHash.immediate(username, hash, ctx));
    },
    async setAllowFrom(username, list, ctx) {
      return guard(() => setAllow.immediate(username, list, ctx));
    },
    async clearTxt(subdomain, ctx) {
      return guard(() => clear.immediate(subdomainKey(subdomain), ctx));
    },
    async listAudit(query: AuditQuery) {
      const { text, values } = auditListSql(query, () => '?');
      return guard(() => {
        let statement = auditQueries.get(text);
        if (statement === undefined) {
          statement = db.prepare(text);
          auditQueries.set(text, statement);
        }
        return (statement.all(...values) as AuditRow[]).map(toAuditEntry);
      });
    },
    async pruneAudit(before, limit) {
      return guard(() => pruneAudit.run(Math.floor(before), Math.max(0, Math.floor(limit))).changes);
    },
  };
}
