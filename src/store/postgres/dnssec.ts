/**
 * The PostgreSQL store's DNSSEC key set (issue 11): one row per zone in dnssec_keysets, shared by
 * every instance on the database, so all of them sign with the same keys.
 */
import type { DnssecKeyPort, StoredKeyset } from '../dnssec-types';
import type { PgDb, Statement } from './pool';

/** The key set's statements (dialect twins of ../sqlite/dnssec.ts). */
export const DNSSEC_SQL = {
  get: { text: 'SELECT version, document FROM dnssec_keysets WHERE zone = $1' },
  // DO NOTHING waits for a concurrent insert of the same zone to commit; the read that follows (a
  // new snapshot under READ COMMITTED) then sees whichever document won. One statement with a CTE
  // would not: its snapshot predates the other instance's commit.
  claim: {
    text:
      'INSERT INTO dnssec_keysets (zone, version, document, updated_at) VALUES ($1, 1, $2, floor(extract(epoch FROM now()))::bigint) ' +
      'ON CONFLICT (zone) DO NOTHING',
  },
  // Compare-and-set: UPDATE locks the row and re-checks the WHERE on its latest version, so of two
  // replacements based on the same version exactly one changes a row.
  replace: {
    text:
      'UPDATE dnssec_keysets SET version = version + 1, document = $2, updated_at = floor(extract(epoch FROM now()))::bigint ' +
      'WHERE zone = $1 AND version = $3',
  },
} satisfies Record<string, Statement>;

/** The DnssecKeyPort half of the PostgreSQL store, for `zone` (normalized: lower case, no final dot). */
export function postgresDnssec(db: PgDb, zone: string): DnssecKeyPort {
  const read = async (): Promise<StoredKeyset | undefined> => {
    const row = (await db.query<{ version: string | number; document: string }>('read', DNSSEC_SQL.get, [zone])).rows[0];
    return row && { version: Number(row.version), document: row.document };
  };
  return {
    getDnssecKeyset: read,
    async claimDnssecKeyset(document) {
      await db.query('write', DNSSEC_SQL.claim, [zone, document]);
      const stored = await read();
      if (stored === undefined) throw new Error(`dnssec_keysets: no key set for ${zone} right after storing one`);
      return stored;
    },
    async replaceDnssecKeyset(expectedVersion, document) {
      const { rowCount } = await db.query('write', DNSSEC_SQL.replace, [zone, document, expectedVersion]);
      return (rowCount ?? 0) > 0;
    },
  };
}
