/**
 * The SQLite store's DNSSEC key set (issue 11): one row per zone in dnssec_keysets. The claim is
 * an insert-if-absent and a read in one IMMEDIATE transaction, so a second process on the file
 * (the CLI beside the server) reads whichever document went in first.
 */
import type Database from 'better-sqlite3';
import type { DnssecKeyPort, StoredKeyset } from '../dnssec-types';
import { withStoreErrors } from './errors';

/** The key set's statements (dialect twins of ../postgres/dnssec.ts). */
export const DNSSEC_SQL = {
  get: 'SELECT version, document FROM dnssec_keysets WHERE zone = ?',
  claim: 'INSERT INTO dnssec_keysets (zone, version, document, updated_at) VALUES (?, 1, ?, ?) ON CONFLICT (zone) DO NOTHING',
  // Compare-and-set: the WHERE on the version makes a step based on a stale read change nothing.
  replace: 'UPDATE dnssec_keysets SET version = version + 1, document = ?, updated_at = ? WHERE zone = ? AND version = ?',
} as const;

/** The DnssecKeyPort half of the SQLite store, for `zone` (normalized: lower case, no final dot). */
export function sqliteDnssec(db: Database.Database, zone: string): DnssecKeyPort {
  const get = db.prepare(DNSSEC_SQL.get);
  const insert = db.prepare(DNSSEC_SQL.claim);
  const replace = db.prepare(DNSSEC_SQL.replace);
  const read = (): StoredKeyset | undefined => {
    const row = get.get(zone) as { version: number; document: string } | undefined;
    return row && { version: Number(row.version), document: row.document };
  };
  const claim = db.transaction((document: string): StoredKeyset => {
    insert.run(zone, document, nowSeconds());
    const stored = read();
    if (stored === undefined) throw new Error(`dnssec_keysets: no key set for ${zone} right after storing one`);
    return stored;
  });

  return {
    async getDnssecKeyset() {
      return withStoreErrors(read);
    },
    async claimDnssecKeyset(document) {
      return withStoreErrors(() => claim.immediate(document));
    },
    async replaceDnssecKeyset(expectedVersion, document) {
      return withStoreErrors(() => replace.run(document, nowSeconds(), zone, expectedVersion).changes > 0);
    },
  };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
