/**
 * The PostgreSQL store's statements for the zone's serial and journal and the TSIG keys (issue 10),
 * beside sql.ts. The serial row is the last lock every changing transaction takes (see txt-writes.ts).
 */
import type { Statement } from './pool';

/** The zone's serial and journal (txt-writes.ts, zone.ts). */
export const ZONE_SQL = {
  // One statement: serial + 1 modulo 2^32 (RFC 1982 §3.1), the version, and its first rows; the
  // version's id comes back for any further rows. The UPDATE's row lock orders the bumps of every
  // instance, and is held only from here to COMMIT. The answers' generation (migration 006) steps with it.
  record: {
    name: 'acmedns_zone_record',
    text:
      'WITH s AS (UPDATE zone_state SET serial = (serial + 1) % 4294967296, generation = generation + 1 WHERE id = 1 RETURNING serial), ' +
      'v AS (INSERT INTO zone_versions (from_serial, to_serial, at) SELECT (serial + 4294967295) % 4294967296, serial, $1 FROM s RETURNING id), ' +
      'c AS (INSERT INTO zone_changes (version_id, op, name, own, value) SELECT v.id, r.o, r.n, r.w, r.v FROM v, ' +
      'unnest($2::text[], $3::text[], $4::boolean[], $5::text[]) WITH ORDINALITY AS r(o, n, w, v, i) ORDER BY r.i) ' +
      'SELECT id FROM v',
  },
  insertChanges: {
    text:
      'INSERT INTO zone_changes (version_id, op, name, own, value) SELECT $1, r.o, r.n, r.w, r.v FROM ' +
      'unnest($2::text[], $3::text[], $4::boolean[], $5::text[]) WITH ORDINALITY AS r(o, n, w, v, i) ORDER BY r.i',
  },
  serial: { name: 'acmedns_zone_serial', text: 'SELECT serial FROM zone_state WHERE id = 1' },
  // Serial and content (or steps) read together: one snapshot for every statement of the transaction.
  snapshotRead: { text: 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY' },
  // Every row is live but for age: writes prune each name to `keep`. COLLATE "C": SQLite's order.
  liveTxt: { text: 'SELECT subdomain_key AS name, value FROM txt_values WHERE updated_at >= $1 ORDER BY subdomain_key COLLATE "C", value COLLATE "C"' },
  liveChallenges: { text: 'SELECT name, value FROM challenges WHERE expires_at >= $1 ORDER BY name COLLATE "C", value COLLATE "C"' },
  // The newest version starting at the serial (after 2^32 changes a serial comes round again).
  versionFrom: { text: 'SELECT id FROM zone_versions WHERE from_serial = $1 ORDER BY id DESC LIMIT 1' },
  versionsSince: { text: 'SELECT id, from_serial AS "from", to_serial AS "to" FROM zone_versions WHERE id >= $1 ORDER BY id' },
  changesSince: { text: 'SELECT version_id AS version, op, name, own, value FROM zone_changes WHERE version_id >= $1 ORDER BY version_id, id' },
  // SKIP LOCKED: expiry never waits for a row another transaction holds (that one deletes or
  // refreshes it), so it takes no lock before the serial's and two instances expire each value once.
  expireTxt: {
    text:
      'DELETE FROM txt_values WHERE id IN (SELECT id FROM txt_values WHERE updated_at < $1 FOR UPDATE SKIP LOCKED) ' +
      'RETURNING subdomain_key AS name, value',
  },
  // What the next sweep is planned on (firstExpirySecond): the oldest value is the first entry of
  // txt_values_by_age; challenges hold only the server's own few names.
  nextExpiry: { text: 'SELECT (SELECT min(expires_at) FROM challenges) AS challenge, (SELECT min(updated_at) FROM txt_values) AS txt' },
  expireChallenges: {
    text:
      'DELETE FROM challenges WHERE (name, value) IN (SELECT name, value FROM challenges WHERE expires_at < $1 FOR UPDATE SKIP LOCKED) ' +
      'RETURNING name, value',
  },
  // The newest version beyond the `keep` newest: it and every older one go.
  pruneBoundary: { text: 'SELECT id FROM zone_versions ORDER BY id DESC LIMIT 1 OFFSET $1' },
  // Versions first, their rows after: a reader never finds a version without its rows.
  pruneVersions: {
    text: 'DELETE FROM zone_versions WHERE id IN (SELECT id FROM zone_versions WHERE id <= $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)',
  },
  pruneChanges: {
    text: 'DELETE FROM zone_changes WHERE id IN (SELECT id FROM zone_changes WHERE version_id <= $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)',
  },
} satisfies Record<string, Statement>;

// The key's account's subdomain comes with each key.
const KEY_COLUMNS = 'k.name, k.algorithm, k.secret, k.username, a.subdomain, k.created_at FROM tsig_keys k JOIN accounts a ON a.username = k.username';

/** The TSIG keys of accounts (tsig.ts). */
export const TSIG_SQL = {
  insert: { text: 'INSERT INTO tsig_keys (name, username, algorithm, secret, created_at) VALUES ($1, $2, $3, $4, $5)' },
  byAccount: { text: `SELECT ${KEY_COLUMNS} WHERE k.username = $1 ORDER BY k.created_at, k.name COLLATE "C"` },
  // Every RFC 2136 update looks its key up: prepared once per connection.
  byName: { name: 'acmedns_tsig_key', text: `SELECT ${KEY_COLUMNS} WHERE k.name = $1` },
  lockByName: { text: `SELECT ${KEY_COLUMNS} WHERE k.name = $1 FOR UPDATE OF k` },
  delete: { text: 'DELETE FROM tsig_keys WHERE name = $1' },
  deleteOfAccount: { text: 'DELETE FROM tsig_keys WHERE username = $1' },
} satisfies Record<string, Statement>;
