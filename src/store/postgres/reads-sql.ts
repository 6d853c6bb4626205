/**
 * The statements of the DNS reads' cache (reads.ts) and of the counter that validates it (migration
 * 006): one round trip brings the counter, the serial and the rows of every name asked for.
 */
import type { Statement } from './pool';

// One statement, so one snapshot (READ COMMITTED takes one per statement): the rows come with the
// generation they belong to, and a cache filled from them is valid exactly while it holds.
// kind 0: the generation (as text: a bigint) and the serial.
const MARKER = 'SELECT 0 AS kind, NULL::text AS name, generation::text AS value, serial AS at, 0::bigint AS ord FROM zone_state WHERE id = 1';
// kind 1: the accounts with the keys in $k and the newest $n values of each whatever their age
// (value NULL: an account without values), ord = their rank (newest first, then the newest id).
// Joined from unnest, not `= ANY($k)`, whose generic plan scanned the table (measured: 20 us of
// backend CPU per key in a round of 100, against 5). The array comes through a sub-select so that
// the planner's row estimate is the same with and without the parameter's value: its generic plan
// is then chosen after five rounds instead of planning every round anew (which tripled a one-key
// round's backend CPU); it probes the index per key once the table is large enough to matter.
const accountsPart = (k: string, n: string): string =>
  `SELECT 1, a.subdomain_key, t.value, t.updated_at, t.ord FROM unnest((SELECT ${k}::text[])) AS q(key) ` +
  'JOIN accounts a ON a.subdomain_key = q.key LEFT JOIN LATERAL (' +
  'SELECT v.value, v.updated_at, row_number() OVER (ORDER BY v.updated_at DESC, v.id DESC) AS ord FROM txt_values v ' +
  `WHERE v.subdomain_key = a.subdomain_key ORDER BY v.updated_at DESC, v.id DESC LIMIT ${n}) t ON true`;
// kind 2: the own challenge values at the names in $c whatever their expiry, ord = rank by value in
// byte order (COLLATE "C", as SQLite sorts). Age and expiry are filtered when answering.
const challengesPart = (c: string): string =>
  'SELECT 2, c.name, c.value, c.expires_at, row_number() OVER (PARTITION BY c.name ORDER BY c.value COLLATE "C") ' +
  `FROM unnest((SELECT ${c}::text[])) AS q(name) JOIN challenges c ON c.name = q.name`;

/**
 * The statement of one round of the cache (reads.ts), by what it fetches besides the marker, so
 * that a round of cache hits only reads the one row. Parameters: the keys and `keep` when
 * fetching accounts, then the challenge names when fetching those.
 */
export const ROUND_SQL = {
  marker: { name: 'acmedns_round_marker', text: MARKER },
  accounts: { name: 'acmedns_round_accounts', text: `${MARKER} UNION ALL ${accountsPart('$1', '$2')}` },
  challenges: { name: 'acmedns_round_challenges', text: `${MARKER} UNION ALL ${challengesPart('$1')}` },
  both: { name: 'acmedns_round_both', text: `${MARKER} UNION ALL ${accountsPart('$1', '$2')} UNION ALL ${challengesPart('$3')}` },
} satisfies Record<string, Statement>;

/** The generation bumps that keep the cache honest. */
export const GENERATION_SQL = {
  // A write that changes what DNS answers without changing the zone's content (a refresh, an
  // account made or deleted without values, a challenge's new expiry). Content changes bump the
  // generation in ZONE_SQL.record's UPDATE. Either is the transaction's last lock (txt-writes.ts).
  touch: { name: 'acmedns_answers_touch', text: 'UPDATE zone_state SET generation = generation + 1 WHERE id = 1' },
  // createAccount without an audit entry, still one statement: the generation is bumped only once
  // the insert succeeded; the uncorrelated sub-select is a one-time filter evaluated before the
  // UPDATE reads zone_state, so the row is locked after the account's (the lock order).
  insertAccount: {
    name: 'acmedns_insert_account_touch',
    text:
      'WITH a AS (INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, allowfrom, created_at) ' +
      'VALUES ($1, $2, $3, $4, $5, $6) RETURNING 1) ' +
      'UPDATE zone_state SET generation = generation + 1 WHERE id = 1 AND (SELECT count(*) FROM a) = 1',
  },
} satisfies Record<string, Statement>;
