/**
 * The SQLite store's lease, shared certificate and ACME account key. With SQLite one instance
 * owns the file, so the lease is trivially its own; the statements are still the atomic ones
 * (one UPSERT each) so two processes on one file (the CLI beside the server) stay correct.
 */
import type Database from 'better-sqlite3';
import type { ClusterStore, StoredCertificate } from '../cluster-types';
import { guard } from './errors';

interface CertificateRow {
  cert_pem: string;
  key_pem: string;
  not_after: number;
}

/** The ClusterStore half of the SQLite store. */
export function sqliteCluster(db: Database.Database): ClusterStore {
  // One statement: inserted, or taken over when expired or already ours; the WHERE leaves another
  // holder's running lease untouched (changes = 0). Time is SQLite's unixepoch() (stable within
  // the statement), the same rule as PostgreSQL's now(): the caller's clock never decides.
  const acquire = db.prepare(
    'INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, unixepoch() + ?) ON CONFLICT (name) DO UPDATE SET ' +
      'holder = excluded.holder, expires_at = excluded.expires_at WHERE leases.expires_at <= unixepoch() OR leases.holder = excluded.holder',
  );
  const release = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');
  const putCert = db.prepare(
    'INSERT INTO certificates (name, cert_pem, key_pem, not_after, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET ' +
      'cert_pem = excluded.cert_pem, key_pem = excluded.key_pem, not_after = excluded.not_after, updated_at = excluded.updated_at',
  );
  const getCert = db.prepare('SELECT cert_pem, key_pem, not_after FROM certificates WHERE name = ?');
  const getKey = db.prepare('SELECT key_pem FROM acme_accounts WHERE directory = ?');
  const claimKey = db.prepare('INSERT INTO acme_accounts (directory, key_pem, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
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
