/**
 * The PostgreSQL store's account management and audit trail: each change and its audit entry in
 * one transaction, the account's row locked first (as putTxt locks it), so a change and an update
 * of the same account never interleave.
 */
import { subdomainKey } from '../../core/types';
import { auditListSql, auditValues, importedDetail, toAuditEntry, toSummary, type AuditRow, type OwnerRow, type SummaryRow } from '../rows';
import type { AuditAction, AuditContext } from '../admin-types';
import { ZoneChanges } from '../zone-changes';
import type { PgDb, TxQuery } from './pool';
import { ADMIN_SQL } from './sql';
import type { PgTxtWrites } from './txt-writes';
import { TSIG_SQL } from './zone-sql';
import type { AccountAdmin, ImportEntry } from '../types';

/** Writes one audit entry inside the caller's transaction. */
export async function pgAudit(
  q: TxQuery,
  action: AuditAction,
  owner: { readonly username: string; readonly subdomain: string },
  ctx: AuditContext,
  detail?: Readonly<Record<string, unknown>>,
): Promise<void> {
  await q(ADMIN_SQL.insertAudit, auditValues(action, owner.username, owner.subdomain, ctx, detail ?? null));
}

/** One `account.imported` entry per account in `created`, in their order, inside the caller's transaction. */
export async function pgAuditImported(q: TxQuery, created: readonly ImportEntry[], ctx: AuditContext): Promise<void> {
  if (created.length === 0) return;
  const rows = created.map(({ account, values }) =>
    auditValues('account.imported', account.username, account.subdomain, ctx, importedDetail(account.allowFrom, values.length)),
  );
  const first = rows[0];
  if (first === undefined) return;
  const [at, action, , , client, actor] = first;
  await q(ADMIN_SQL.insertAuditMany, [at, action, client, actor, rows.map((r) => r[2]), rows.map((r) => r[3]), rows.map((r) => r[6])]);
}

/** The AccountAdmin half of the PostgreSQL store. */
export function postgresAdmin(db: PgDb, keep: number, cutoff: (now: number) => number, writes: PgTxtWrites): AccountAdmin {
  const now = (): number => Math.floor(Date.now() / 1000);

  /** Runs `change` on the locked account row; false when there is none. */
  const withOwner = (username: string, change: (q: TxQuery, row: OwnerRow) => Promise<void>): Promise<boolean> =>
    db.transaction(async (q) => {
      const row = (await q<OwnerRow>(ADMIN_SQL.lockOwner, [username])).rows[0];
      if (row === undefined) return false;
      await change(q, row);
      return true;
    });

  return {
    async listAccounts({ after, limit, nowSeconds }) {
      const { rows } = await db.query<SummaryRow>('read', ADMIN_SQL.listAccounts, [cutoff(nowSeconds ?? now()), after ?? '', limit]);
      return rows.map((r) => toSummary(r, keep));
    },
    async describeAccount(usernameOrSubdomain, nowSeconds) {
      const { rows } = await db.query<SummaryRow>('read', ADMIN_SQL.describeAccount, [
        cutoff(nowSeconds ?? now()),
        usernameOrSubdomain,
        subdomainKey(usernameOrSubdomain),
      ]);
      return rows[0] && toSummary(rows[0], keep);
    },
    deleteAccount(username, ctx) {
      return withOwner(username, async (q, row) => {
        const changes = new ZoneChanges();
        const removed = await writes.removeAll(q, row.subdomain_key, changes);
        await q(TSIG_SQL.deleteOfAccount, [username]);
        await q(ADMIN_SQL.deleteAccount, [username]);
        if (ctx) await pgAudit(q, 'account.deleted', row, ctx, { removed });
        // NODATA becomes NXDOMAIN even without values: the answers' generation steps anyway.
        await writes.record(q, changes, true);
      });
    },
    setPasswordHash(username, hash, ctx) {
      return withOwner(username, async (q, row) => {
        await q(ADMIN_SQL.updateHash, [username, hash]);
        if (ctx) await pgAudit(q, 'password.rotated', row, ctx);
      });
    },
    setAllowFrom(username, list, ctx) {
      return withOwner(username, async (q, row) => {
        await q(ADMIN_SQL.updateAllowFrom, [username, JSON.stringify(list)]);
        if (ctx) await pgAudit(q, 'allowfrom.changed', row, ctx, { allowfrom: list, previous: JSON.parse(row.allowfrom) as unknown });
      });
    },
    clearTxt(subdomain, ctx) {
      return db.transaction(async (q) => {
        const row = (await q<OwnerRow>(ADMIN_SQL.lockOwnerOfName, [subdomainKey(subdomain)])).rows[0];
        if (row === undefined) return undefined;
        const changes = new ZoneChanges();
        const removed = await writes.removeAll(q, row.subdomain_key, changes);
        if (ctx) await pgAudit(q, 'txt.cleared', row, ctx, { removed });
        await writes.record(q, changes);
        return removed;
      });
    },
    async listAudit(query) {
      const { text, values } = auditListSql(query, (i) => `$${i}`);
      const { rows } = await db.query<AuditRow>('read', { text }, values);
      return rows.map(toAuditEntry);
    },
    async pruneAudit(before, limit) {
      const { rowCount } = await db.query('write', ADMIN_SQL.pruneAudit, [Math.floor(before), Math.max(0, Math.floor(limit))]);
      return rowCount ?? 0;
    },
  };
}
