/**
 * The PostgreSQL store's lease, shared certificate and ACME account key: how several instances on
 * one database let one of them order the API's certificate and hand it to all the others.
 */
import type { ClusterStore, StoredCertificate } from '../cluster-types';
import { toStoredCertificate, type CertificateRow } from '../rows';
import type { PgDb } from './pool';
import { CLUSTER_SQL } from './sql';

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
      return row && toStoredCertificate(row);
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
