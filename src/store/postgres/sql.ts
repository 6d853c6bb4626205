import type { Statement } from './pool';

/**
 * The PostgreSQL store's statements, the dialect twins of src/store/sqlite.ts. Named ones are
 * prepared once per connection (pg caches them), which matters for the per-query DNS lookup.
 */
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
      'ON CONFLICT (subdomain_key, value) DO UPDATE SET updated_at = GREATEST(txt_values.updated_at, EXCLUDED.updated_at)',
  },
  // Keep the newest `keep` values that are not older than the cutoff; drop the rest.
  pruneTxt: {
    name: 'acmedns_prune_txt',
    text:
      'DELETE FROM txt_values WHERE subdomain_key = $1 AND (updated_at < $2 OR id NOT IN (' +
      'SELECT id FROM txt_values WHERE subdomain_key = $1 ORDER BY updated_at DESC, id DESC LIMIT $3))',
  },
  deleteTxt: {
    name: 'acmedns_delete_txt',
    text: 'DELETE FROM txt_values WHERE subdomain_key = $1 AND value = $2',
  },
  // One indexed statement: no row = no account; a row with NULL value = an account without values.
  lookupName: {
    name: 'acmedns_lookup_name',
    text:
      'SELECT t.value AS value FROM accounts a LEFT JOIN txt_values t ' +
      'ON t.subdomain_key = a.subdomain_key AND t.updated_at >= $1 ' +
      'WHERE a.subdomain_key = $2 ORDER BY t.updated_at DESC, t.id DESC LIMIT $3',
  },
  // Values that expired long before the one being published are garbage; reads ignore them anyway.
  purgeChallenges: { text: 'DELETE FROM challenges WHERE name = $1 AND expires_at < $2' },
  upsertChallenge: {
    text: 'INSERT INTO challenges (name, value, expires_at) VALUES ($1, $2, $3) ON CONFLICT (name, value) DO UPDATE SET expires_at = EXCLUDED.expires_at',
  },
  deleteChallenge: { text: 'DELETE FROM challenges WHERE name = $1 AND value = $2' },
  // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
  selectChallenges: {
    name: 'acmedns_select_challenges',
    text: 'SELECT value FROM challenges WHERE name = $1 AND expires_at >= $2 ORDER BY value COLLATE "C"',
  },
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
      'JOIN accounts a ON a.subdomain_key = r.k AND a.username = r.u ORDER BY r.n ON CONFLICT DO NOTHING',
  },
  // Keeps the newest `keep` values of each imported name (no age limit, as in SQLite's import).
  pruneImported: {
    text:
      'DELETE FROM txt_values WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER ' +
      '(PARTITION BY subdomain_key ORDER BY updated_at DESC, id DESC) AS rank FROM txt_values ' +
      'WHERE subdomain_key = ANY($1::text[])) ranked WHERE rank > $2)',
  },
} satisfies Record<string, Statement>;
