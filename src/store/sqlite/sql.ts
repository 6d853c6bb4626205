/**
 * The SQLite store's statements, the dialect twins of ../postgres/sql.ts, one table per part of
 * the store. better-sqlite3 prepares each once when the store opens; only the audit listing is
 * built per query (../rows.ts, shared with PostgreSQL so both filter alike).
 */
import { AUDIT_COLUMNS } from '../rows';

/** Accounts, their TXT values and the server's own challenge values (store.ts). */
export const SQL = {
  insertAccount:
    'INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, allowfrom, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  importAccount:
    'INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, allowfrom, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  selectAccount: 'SELECT username, password_hash, subdomain, allowfrom FROM accounts WHERE username = ?',
  selectOwner: 'SELECT username, subdomain FROM accounts WHERE subdomain_key = ?',
  upsertTxt:
    'INSERT INTO txt_values (subdomain_key, value, updated_at) VALUES (?, ?, ?) ' +
    'ON CONFLICT (subdomain_key, value) DO UPDATE SET updated_at = max(updated_at, excluded.updated_at)',
  txtExists: 'SELECT 1 FROM txt_values WHERE subdomain_key = ? AND value = ?',
  deleteTxt: 'DELETE FROM txt_values WHERE subdomain_key = ? AND value = ?',
  deleteValues: 'DELETE FROM txt_values WHERE subdomain_key = ? RETURNING value',
  // Import values only for the account that owns the name: a subdomain taken by another username
  // must not start serving the importing account's values.
  subdomainOwner: 'SELECT username FROM accounts WHERE subdomain_key = ?',
  importTxt: 'INSERT INTO txt_values (subdomain_key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  // Keep the newest `keep` values that are younger than the cutoff; drop the rest (returned for the journal).
  pruneTxt:
    'DELETE FROM txt_values WHERE subdomain_key = ? AND (updated_at < ? OR id NOT IN (' +
    'SELECT id FROM txt_values WHERE subdomain_key = ? ORDER BY updated_at DESC, id DESC LIMIT ?)) RETURNING value',
  // The values an RFC 2136 prerequisite sees: those DNS serves (lookup's order and limit).
  liveValues: 'SELECT value FROM txt_values WHERE subdomain_key = ? AND updated_at >= ? ORDER BY updated_at DESC, id DESC LIMIT ?',
  // The same values with their times, for the account's own view (GET /account).
  liveTxt: 'SELECT value, updated_at FROM txt_values WHERE subdomain_key = ? AND updated_at >= ? ORDER BY updated_at DESC, id DESC LIMIT ?',
  challengeExists: 'SELECT 1 FROM challenges WHERE name = ? AND value = ?',
  insertChallenge:
    'INSERT INTO challenges (name, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (name, value) DO UPDATE SET expires_at = excluded.expires_at',
  deleteChallenge: 'DELETE FROM challenges WHERE name = ? AND value = ?',
  // Values that expired long before the one being published are garbage; reads ignore them anyway.
  purgeChallenges: 'DELETE FROM challenges WHERE name = ? AND expires_at < ? RETURNING value',
  ping: 'SELECT 1',
} as const;

/** The DNS hot path's reads and the two counters that say whether their cache is still valid (reads.ts). */
export const READ_SQL = {
  dataVersion: 'PRAGMA data_version',
  ownChanges: 'SELECT total_changes()',
  // The account and every row of its name in one statement (no row: no account; one row of NULLs:
  // no values), sorted by the caller: writes prune to `keep`, so there are few, and SQLite's
  // ORDER BY ... LIMIT over the DESC index measured ~4 us more than this plain index read.
  accountValues:
    'SELECT t.value, t.updated_at, t.id FROM accounts a LEFT JOIN txt_values t ON t.subdomain_key = a.subdomain_key WHERE a.subdomain_key = ?',
  challengeValues: 'SELECT value, expires_at FROM challenges WHERE name = ? ORDER BY value',
  serial: 'SELECT serial FROM zone_state WHERE id = 1',
  // The in-memory account index (account-sync.ts): the log its triggers keep (007) from the row
  // read last, the newest row (where a full build starts), every name, and the values in id order.
  changesSince: 'SELECT seq, subdomain_key, tag FROM dns_changes WHERE seq >= ? ORDER BY seq',
  newestChange: 'SELECT seq, tag FROM dns_changes ORDER BY seq DESC LIMIT 1',
  allAccountKeys: 'SELECT subdomain_key FROM accounts',
  valueChunk: 'SELECT id, subdomain_key, value, updated_at FROM txt_values WHERE id > ? ORDER BY id LIMIT ?',
  accountCount: 'SELECT count(*) FROM accounts',
} as const;

/** The zone's serial and journal (zone.ts, txt-writes.ts). */
export const ZONE_SQL = {
  // RFC 1982 §3.1: serial + 1 modulo 2^32, inside the change's IMMEDIATE transaction.
  bump: 'UPDATE zone_state SET serial = (serial + 1) % 4294967296 WHERE id = 1 RETURNING serial',
  insertVersion: 'INSERT INTO zone_versions (from_serial, to_serial, at) VALUES (?, ?, ?)',
  insertChange: 'INSERT INTO zone_changes (version_id, op, name, own, value) VALUES (?, ?, ?, ?, ?)',
  // Every row is live but for age: writes prune each name to `keep`.
  liveTxt: 'SELECT subdomain_key AS name, value FROM txt_values WHERE updated_at >= ? ORDER BY subdomain_key, value',
  liveChallenges: 'SELECT name, value FROM challenges WHERE expires_at >= ? ORDER BY name, value',
  // The newest version starting at the serial (after 2^32 changes a serial comes round again).
  versionFrom: 'SELECT id FROM zone_versions WHERE from_serial = ? ORDER BY id DESC LIMIT 1',
  versionsSince: 'SELECT id, from_serial AS "from", to_serial AS "to" FROM zone_versions WHERE id >= ? ORDER BY id',
  changesSince: 'SELECT version_id AS version, op, name, own, value FROM zone_changes WHERE version_id >= ? ORDER BY version_id, id',
  // Whether expireTxt/expireChallenges would remove anything (the challenges' now; 1 when values
  // age out; their cutoff): a read, so a sweep that finds nothing takes no write lock.
  expirable:
    'SELECT EXISTS (SELECT 1 FROM challenges WHERE expires_at < ?) OR (? AND EXISTS (SELECT 1 FROM txt_values WHERE updated_at < ?))',
  // What the next sweep is planned on (firstExpirySecond): the oldest value is the first entry of
  // txt_values_by_age; challenges hold only the server's own few names.
  earliestChallenge: 'SELECT min(expires_at) FROM challenges',
  oldestTxt: 'SELECT min(updated_at) FROM txt_values',
  expireTxt: 'DELETE FROM txt_values WHERE updated_at < ? RETURNING subdomain_key AS name, value',
  expireChallenges: 'DELETE FROM challenges WHERE expires_at < ? RETURNING name, value',
  // The newest version beyond the `keep` newest: it and every older one go.
  pruneBoundary: 'SELECT id FROM zone_versions ORDER BY id DESC LIMIT 1 OFFSET ?',
  // Versions first, their rows after: a reader never finds a version without its rows.
  pruneVersions: 'DELETE FROM zone_versions WHERE id IN (SELECT id FROM zone_versions WHERE id <= ? ORDER BY id LIMIT ?)',
  pruneChanges: 'DELETE FROM zone_changes WHERE id IN (SELECT id FROM zone_changes WHERE version_id <= ? ORDER BY id LIMIT ?)',
} as const;

/** The TSIG keys of accounts (tsig.ts); the account's subdomain comes with each key. */
const KEY_COLUMNS = 'k.name, k.algorithm, k.secret, k.username, a.subdomain, k.created_at FROM tsig_keys k JOIN accounts a ON a.username = k.username';
export const TSIG_SQL = {
  insert: 'INSERT INTO tsig_keys (name, username, algorithm, secret, created_at) VALUES (?, ?, ?, ?, ?)',
  byAccount: `SELECT ${KEY_COLUMNS} WHERE k.username = ? ORDER BY k.created_at, k.name`,
  byName: `SELECT ${KEY_COLUMNS} WHERE k.name = ?`,
  delete: 'DELETE FROM tsig_keys WHERE name = ?',
  deleteOfAccount: 'DELETE FROM tsig_keys WHERE username = ?',
} as const;

// Live values: not older than the cutoff (the policy's maximum age), as DNS serves them.
const SUMMARY =
  'SELECT a.username, a.subdomain, a.allowfrom, a.created_at, ' +
  '(SELECT count(*) FROM txt_values t WHERE t.subdomain_key = a.subdomain_key AND t.updated_at >= ?) AS live, ' +
  '(SELECT max(t.updated_at) FROM txt_values t WHERE t.subdomain_key = a.subdomain_key AND t.updated_at >= ?) AS last ' +
  'FROM accounts a';

/** Account management and the audit trail (admin.ts). */
export const ADMIN_SQL = {
  insertAudit: `INSERT INTO audit (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  listAccounts: `${SUMMARY} WHERE a.username > ? ORDER BY a.username LIMIT ?`,
  describeAccount: `${SUMMARY} WHERE a.username = ? OR a.subdomain_key = ? ORDER BY a.username = ? DESC LIMIT 1`,
  owner: 'SELECT username, subdomain, subdomain_key, allowfrom FROM accounts WHERE username = ?',
  ownerOfName: 'SELECT username, subdomain, subdomain_key, allowfrom FROM accounts WHERE subdomain_key = ?',
  deleteAccount: 'DELETE FROM accounts WHERE username = ?',
  updateHash: 'UPDATE accounts SET password_hash = ? WHERE username = ?',
  updateAllowFrom: 'UPDATE accounts SET allowfrom = ? WHERE username = ?',
  // Through audit_by_time (at, and the rowid it carries): the oldest `limit` entries without a scan.
  pruneAudit: 'DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < ? ORDER BY at LIMIT ?)',
} as const;

/** The lease, the shared certificate and the ACME account key (cluster.ts). */
export const CLUSTER_SQL = {
  // One statement: inserted, or taken over when expired or already ours; the WHERE leaves another
  // holder's running lease untouched (changes = 0). Time is SQLite's unixepoch() (stable within
  // the statement), the same rule as PostgreSQL's now(): the caller's clock never decides.
  acquireLease:
    'INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, unixepoch() + ?) ON CONFLICT (name) DO UPDATE SET ' +
    'holder = excluded.holder, expires_at = excluded.expires_at WHERE leases.expires_at <= unixepoch() OR leases.holder = excluded.holder',
  releaseLease: 'DELETE FROM leases WHERE name = ? AND holder = ?',
  putCertificate:
    'INSERT INTO certificates (name, cert_pem, key_pem, not_after, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET ' +
    'cert_pem = excluded.cert_pem, key_pem = excluded.key_pem, not_after = excluded.not_after, updated_at = excluded.updated_at',
  getCertificate: 'SELECT cert_pem, key_pem, not_after FROM certificates WHERE name = ?',
  getAccountKey: 'SELECT key_pem FROM acme_accounts WHERE directory = ?',
  claimAccountKey: 'INSERT INTO acme_accounts (directory, key_pem, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
} as const;

/** Opening: the acme-dns check and the record of applied migrations (open.ts). */
export const MIGRATION_SQL = {
  tableExists: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
  createTable: 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
  appliedVersions: 'SELECT version FROM schema_migrations',
  record: 'INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)',
} as const;
