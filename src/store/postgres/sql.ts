/**
 * The PostgreSQL store's statements, the dialect twins of ../sqlite/sql.ts, one table per part of
 * the store. Named ones are prepared once per connection (pg caches them), which matters for the
 * per-query DNS lookup; the others are not on the DNS path. Only the audit listing is built per
 * query (../rows.ts, shared with SQLite so both filter alike).
 */
import { AUDIT_COLUMNS } from '../rows';
import type { Statement } from './pool';

/** Accounts, their TXT values and the server's own challenge values (store.ts). */
export const SQL = {
  insertAccount: {
    name: 'acmedns_insert_account',
    text: 'INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, allowfrom, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
  },
  selectAccount: {
    name: 'acmedns_select_account',
    text: 'SELECT username, password_hash, subdomain, allowfrom FROM accounts WHERE username = $1',
  },
  // Serialises writers of one name, so prune sees every value committed before it (READ COMMITTED
  // would otherwise let two concurrent updates each keep `keep` values of their own view). No row:
  // the account is gone (deleted after the caller authenticated), and its name keeps nothing.
  lockName: {
    name: 'acmedns_lock_owner',
    text: 'SELECT username, subdomain FROM accounts WHERE subdomain_key = $1 FOR UPDATE',
  },
  upsertTxt: {
    name: 'acmedns_upsert_txt',
    text:
      'INSERT INTO txt_values (subdomain_key, value, updated_at) VALUES ($1, $2, $3) ' +
      'ON CONFLICT (subdomain_key, value) DO UPDATE SET updated_at = GREATEST(txt_values.updated_at, EXCLUDED.updated_at) ' +
      // xmax is 0 only on a row this statement inserted: a new value (a zone change), not a refresh.
      // One atomic statement, unlike a check first: expiry may delete the row in between.
      'RETURNING (xmax = 0) AS inserted',
  },
  // Keep the newest `keep` values that are not older than the cutoff; drop the rest.
  pruneTxt: {
    name: 'acmedns_prune_txt',
    text:
      'DELETE FROM txt_values WHERE subdomain_key = $1 AND (updated_at < $2 OR id NOT IN (' +
      'SELECT id FROM txt_values WHERE subdomain_key = $1 ORDER BY updated_at DESC, id DESC LIMIT $3)) RETURNING value',
  },
  // The values an RFC 2136 prerequisite sees: those DNS serves (the order and limit of ROUND_SQL).
  liveValues: {
    text: 'SELECT value FROM txt_values WHERE subdomain_key = $1 AND updated_at >= $2 ORDER BY updated_at DESC, id DESC LIMIT $3',
  },
  // The same values with their times, for the account's own view (GET /account).
  liveTxt: {
    text: 'SELECT value, updated_at FROM txt_values WHERE subdomain_key = $1 AND updated_at >= $2 ORDER BY updated_at DESC, id DESC LIMIT $3',
  },
  deleteValues: { text: 'DELETE FROM txt_values WHERE subdomain_key = $1 RETURNING value' },
  deleteTxt: {
    name: 'acmedns_delete_txt',
    text: 'DELETE FROM txt_values WHERE subdomain_key = $1 AND value = $2',
  },
  // Values that expired long before the one being published are garbage; reads ignore them anyway.
  purgeChallenges: { text: 'DELETE FROM challenges WHERE name = $1 AND expires_at < $2 RETURNING value' },
  upsertChallenge: {
    text:
      'INSERT INTO challenges (name, value, expires_at) VALUES ($1, $2, $3) ON CONFLICT (name, value) DO UPDATE SET expires_at = EXCLUDED.expires_at ' +
      'RETURNING (xmax = 0) AS inserted',
  },
  deleteChallenge: { text: 'DELETE FROM challenges WHERE name = $1 AND value = $2' },
  // Bulk import: one multi-row statement per batch, rows passed as arrays. ORDER BY the ordinality
  // makes identity ids follow the input order, as SQLite's row-by-row inserts do.
  importAccounts: {
    text:
      'INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, allowfrom, created_at) ' +
      'SELECT u, p, s, k, f, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) ' +
      'WITH ORDINALITY AS r(u, p, s, k, f, n) ORDER BY n ON CONFLICT DO NOTHING RETURNING username',
  },
  importTxt: {
    text:
      // Only for the account that owns the name: a subdomain taken by another username must not
      // start serving the importing account's values.
      'INSERT INTO txt_values (subdomain_key, value, updated_at) ' +
      'SELECT r.k, r.v, r.t FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) WITH ORDINALITY AS r(k, v, t, u, n) ' +
      'JOIN accounts a ON a.subdomain_key = r.k AND a.username = r.u ORDER BY r.n ON CONFLICT DO NOTHING RETURNING subdomain_key AS name, value',
  },
  // Keeps the newest `keep` values of each imported name (no age limit, as in SQLite's import).
  pruneImported: {
    text:
      'DELETE FROM txt_values WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER ' +
      '(PARTITION BY subdomain_key ORDER BY updated_at DESC, id DESC) AS rank FROM txt_values ' +
      'WHERE subdomain_key = ANY($1::text[])) ranked WHERE rank > $2) RETURNING subdomain_key AS name, value',
  },
  ping: { text: 'SELECT 1' },
} satisfies Record<string, Statement>;

// Live values: not older than the cutoff ($1, the policy's maximum age), as DNS serves them.
const SUMMARY =
  'SELECT a.username, a.subdomain, a.allowfrom, a.created_at, ' +
  '(SELECT count(*) FROM txt_values t WHERE t.subdomain_key = a.subdomain_key AND t.updated_at >= $1) AS live, ' +
  '(SELECT max(t.updated_at) FROM txt_values t WHERE t.subdomain_key = a.subdomain_key AND t.updated_at >= $1) AS last ' +
  'FROM accounts a';

/** Account management and the audit trail (admin.ts); none is on the DNS path, so none has a prepared name. */
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
  deleteAccount: { text: 'DELETE FROM accounts WHERE username = $1' },
  updateHash: { text: 'UPDATE accounts SET password_hash = $2 WHERE username = $1' },
  updateAllowFrom: { text: 'UPDATE accounts SET allowfrom = $2 WHERE username = $1' },
  // The oldest `limit` entries through audit_by_time. SKIP LOCKED: two instances pruning at once
  // take disjoint batches instead of the second waiting on the first's row locks.
  pruneAudit: {
    text: 'DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < $1 ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED)',
  },
} satisfies Record<string, Statement>;

/** The lease, the shared certificate and the ACME account key (cluster.ts). */
export const CLUSTER_SQL = {
  // INSERT ... ON CONFLICT DO UPDATE locks the existing row and evaluates the WHERE on its latest
  // version, so of two instances racing for an expired lease exactly one gets a row back. Both
  // the expiry written and the one compared come from the server's now() (one clock for every
  // instance): an instance whose clock runs ahead cannot see a running lease as expired.
  acquireLease: {
    text:
      'INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, floor(extract(epoch FROM now()))::bigint + $3) ' +
      'ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at ' +
      'WHERE leases.expires_at <= floor(extract(epoch FROM now()))::bigint OR leases.holder = EXCLUDED.holder RETURNING holder',
  },
  releaseLease: { text: 'DELETE FROM leases WHERE name = $1 AND holder = $2' },
  putCertificate: {
    text:
      'INSERT INTO certificates (name, cert_pem, key_pem, not_after, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE SET ' +
      'cert_pem = EXCLUDED.cert_pem, key_pem = EXCLUDED.key_pem, not_after = EXCLUDED.not_after, updated_at = EXCLUDED.updated_at',
  },
  getCertificate: { text: 'SELECT cert_pem, key_pem, not_after FROM certificates WHERE name = $1' },
  getAccountKey: { text: 'SELECT key_pem FROM acme_accounts WHERE directory = $1' },
  // DO NOTHING waits for a concurrent insert of the same directory to commit; the following read
  // (a new snapshot under READ COMMITTED) then sees whichever key won.
  claimAccountKey: { text: 'INSERT INTO acme_accounts (directory, key_pem, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING' },
} satisfies Record<string, Statement>;

/** Opening: the lock that serialises instances starting together, the acme-dns check, the record of applied migrations (open.ts). */
export const MIGRATION_SQL = {
  // An arbitrary constant ("acmedns" in ASCII); transaction-scoped, so a crash cannot leave it held.
  lock: { text: 'SELECT pg_advisory_xact_lock(27413534854604403)' },
  tableExists: { text: 'SELECT to_regclass($1)::text AS t' },
  createTable: { text: 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)' },
  appliedVersions: { text: 'SELECT version FROM schema_migrations' },
  record: { text: 'INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)' },
} satisfies Record<string, Statement>;
