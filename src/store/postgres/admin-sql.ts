import { AUDIT_COLUMNS } from '../rows';
import type { Statement } from './pool';

// Live values: not older than the cutoff ($1, the policy's maximum age), as DNS serves them.
const SUMMARY =
  'SELECT a.username, a.subdomain, a.allowfrom, a.created_at, ' +
  '(SELECT count(*) FROM txt_values t WHERE t.subdomain_key = a.subdomain_key AND t.updated_at >= $1) AS live, ' +
  '(SELECT max(t.updated_at) FROM txt_values t WHERE t.subdomain_key = a.subdomain_key AND t.updated_at >= $1) AS last ' +
  'FROM accounts a';

/**
 * The PostgreSQL statements of account management and the audit trail, the dialect twins of
 * src/store/sqlite-admin.ts. None is on the DNS path, so none is worth a prepared name.
 */
export const ADMIN_SQL = {
  insertAudit: { text: `INSERT INTO audit (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)` },
  // One entry per imported account in one statement; ORDER BY the ordinality keeps ids in input order.
  insertAuditMany: {
    text:
      `INSERT INTO audit (${AUDIT_COLUMNS}) SELECT $1::bigint, $2::text, u, s, $3::text, $4::text, d ` +
      'FROM unnest($5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS r(u, s, d, n) ORDER BY n',
  },
  // Keyset pages walk the primary key. Comparison and order use the same (database) collation, so
  // pages never skip or repeat; for canonical UUIDs every collation orders as SQLite does.
  listAccounts: { text: `${SUMMARY} WHERE a.username > $2 ORDER BY a.username LIMIT $3` },
  describeAccount: {
    text: `${SUMMARY} WHERE a.username = $2 OR a.subdomain_key = $3 ORDER BY a.username = $2 DESC LIMIT 1`,
  },
  // Row locks make a change wait for an update of the same account in flight (and vice versa).
  lockOwner: {
    text: 'SELECT username, subdomain, subdomain_key, allowfrom FROM accounts WHERE username = $1 FOR UPDATE',
  },
  lockOwnerOfName: {
    text: 'SELECT username, subdomain, subdomain_key, allowfrom FROM accounts WHERE subdomain_key = $1 FOR UPDATE',
  },
  deleteValues: { text: 'DELETE FROM txt_values WHERE subdomain_key = $1' },
  deleteAccount: { text: 'DELETE FROM accounts WHERE username = $1' },
  updateHash: { text: 'UPDATE accounts SET password_hash = $2 WHERE username = $1' },
  updateAllowFrom: { text: 'UPDATE accounts SET allowfrom = $2 WHERE username = $1' },
  // The oldest `limit` entries through audit_by_time. SKIP LOCKED: two instances pruning at once
  // take disjoint batches instead of the second waiting on the first's row locks.
  pruneAudit: {
    text: 'DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < $1 ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED)',
  },
} satisfies Record<string, Statement>;
