/**
 * The SQLite store's lease, shared certificate and ACME account key. With SQLite one instance
 * owns the file, so the lease is trivially its own; the statements are still the atomic ones
 * (one UPSERT each) so two processes on one file (the CLI beside the server) stay correct.
 */
import type Database from 'better-sqlite3';
import type { ClusterStore, StoredCertificate } from '../cluster-types';
import { toStoredCertificate, type CertificateRow } from '../rows';
import { withStoreErrors } from './errors';
import { CLUSTER_SQL } from './sql';

/** The ClusterStore half of the SQLite store. */
export function sqliteCluster(db: Database.Database): ClusterStore {
  const acquire = db.prepare(CLUSTER_SQL.acquireLease);
  const release = db.prepare(CLUSTER_SQL.releaseLease);
  const putCert = db.prepare(CLUSTER_SQL.putCertificate);
  const getCert = db.prepare(CLUSTER_SQL.getCertificate);
  const getKey = db.prepare(CLUSTER_SQL.getAccountKey);
  const claimKey = db.prepare(CLUSTER_SQL.claimAccountKey);
  const claim = db.transaction((directory: string, keyPem: string): string => {
    claimKey.run(directory, keyPem, Date.now());
    return getKey.pluck().get(directory) as string;
  });

  return {
    async acquireLease(name, holder, ttlSeconds) {
      return withStoreErrors(() => acquire.run(name, holder, Math.ceil(ttlSeconds)).changes > 0);
    },
    async releaseLease(name, holder) {
      return withStoreErrors(() => release.run(name, holder).changes > 0);
    },
    async putCertificate(name, c) {
      withStoreErrors(() => putCert.run(name, c.certPem, c.keyPem, Math.floor(c.notAfter), Date.now()));
    },
    async getCertificate(name): Promise<StoredCertificate | undefined> {
      const row = withStoreErrors(() => getCert.get(name) as CertificateRow | undefined);
      return row && toStoredCertificate(row);
    },
    async getAcmeAccountKey(directoryUrl) {
      return withStoreErrors(() => getKey.pluck().get(directoryUrl) as string | undefined);
    },
    async claimAcmeAccountKey(directoryUrl, keyPem) {
      return withStoreErrors(() => claim.immediate(directoryUrl, keyPem));
    },
  };
}
