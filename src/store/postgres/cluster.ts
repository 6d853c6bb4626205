/**
 * The PostgreSQL store's lease, shared certificate and ACME account key: how several instances on
 * one database let one of them order the API's certificate and hand it to all the others.
 */
import type { ClusterStore, StoredCertificate } from '../cluster-types';
import type { PgDb, Statement } from './pool';

const CLUSTER_SQL = {
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

interface CertificateRow {
  cert_pem: string;
  key_pem: string;
  // BIGINT arrives as a string from pg.
  not_after: string;
}

/** The ClusterStore half of the PostgreSQL store. */
export function postgresCluster(db: PgDb): ClusterStore {
  const accountKey = async (directoryUrl: string): Promise<string | undefined> =>
    (await db.query<{ key_pem: string }>('read', CLUSTER_SQL.getAccountKey, [directoryUrl])).rows[0]?.key_pem;

  return {
    async acquireLease(name, holder, ttlSeconds) {
      const { rowCount } = await db.query('write', CLUSTER_SQL.acquireLease, [name, holder, Math.ceil(ttlSeconds)]);
      return (rowCount ?? 0) > 0;
    },
    async releaseLease(name, holder) {
      const { rowCount } = await db.query('write', CLUSTER_SQL.releaseLease, [name, holder]);
      return (rowCount ?? 0) > 0;
    },
    async putCertificate(name, c) {
      await db.query('write', CLUSTER_SQL.putCertificate, [name, c.certPem, c.keyPem, Math.floor(c.notAfter), Date.now()]);
    },
    async getCertificate(name): Promise<StoredCertificate | undefined> {
      const row = (await db.query<CertificateRow>('read', CLUSTER_SQL.getCertificate, [name])).rows[0];
      return row && { certPem: row.cert_pem, keyPem: row.key_pem, notAfter: Number(row.not_after) };
    },
    getAcmeAccountKey: accountKey,
    async claimAcmeAccountKey(directoryUrl, keyPem) {
      await db.query('write', CLUSTER_SQL.claimAccountKey, [directoryUrl, keyPem, Date.now()]);
      const stored = await accountKey(directoryUrl);
      if (stored === undefined) throw new Error(`acme_accounts: no key for ${directoryUrl} right after storing one`);
      return stored;
    },
  };
}
