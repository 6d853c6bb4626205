/**
 * The SQLite store's lease, shared certificate and ACME account key. With SQLite one instance
 * owns the file, so the lease is trivially its own; the statements are still the atomic ones
 * (one UPSERT each) so two processes on one file (the CLI beside the server) stay correct.
 */
import type Database from 'better-sqlite3';
import type { ClusterStore, StoredCertificate } from '../cluster-types';
import { guard } from './errors';
import { CLUSTER_SQL } from './sql';

interface CertificateRow {
  cert_pem: string;
  key_pem: string;
  not_after: number;
}

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
      return guard(() => acquire.run(name, holder, Math.ceil(ttlSeconds)).changes > 0);
    },
    async releaseLease(name, holder) {
      return guard(() => release.run(name, holder).changes > 0);
    },
    async putCertificate(name, c) {
      guard(() => putCert.run(name, c.certPem, c.keyPem, Math.floor(c.notAfter), Date.now()));
    },
    async getCertificate(name): Promise<StoredCertificate | undefined> {
      const row = guard(() => getCert.get(name) as CertificateRow | undefined);
      return row && { certPem: row.cert_pem, keyPem: row.key_pem, notAfter: Number(row.not_after) };
    },
    async getAcmeAccountKey(directoryUrl) {
      return guard(() => getKey.pluck().get(directoryUrl) as string | undefined);
    },
    async claimAcmeAccountKey(directoryUrl, keyPem) {
      return guard(() => claim.immediate(directoryUrl, keyPem));
    },
  };
}
