/**
 * What instances sharing one database coordinate through it for the API's own certificate: a lease
 * (one instance at a time orders), the certificate itself (every instance serves what one ordered,
 * without a shared file system) and the ACME account key (one account for all: fewer accounts at
 * the CA, and its rate limits count per account). The private keys live in the database, so the
 * database must be protected like a key file.
 */

/** A certificate kept in the store for every instance to serve. */
export interface StoredCertificate {
  /** The chain, leaf first (PEM). */
  readonly certPem: string;
  /** Its private key (PEM). */
  readonly keyPem: string;
  /** The leaf's notAfter in Unix milliseconds, so a newer one is recognised without parsing. */
  readonly notAfter: number;
}

/** Lease, shared certificate and ACME account key; part of every Store. */
export interface ClusterStore {
  /**
   * Takes the lease `name` for `holder` for `ttlSeconds` from now, atomically: when nobody holds it,
   * when its holder's time ran out (expires_at <= now), or when `holder` holds it already
   * (extending or shortening it). False when another holder's lease is still running. "Now" is
   * the database's clock, read inside the deciding statement: instances whose own clocks disagree
   * still agree on who holds the lease.
   */
  acquireLease(name: string, holder: string, ttlSeconds: number): Promise<boolean>;
  /** Gives the lease up if `holder` holds it; true when it did. */
  releaseLease(name: string, holder: string): Promise<boolean>;
  /** Stores (replaces) the certificate known as `name` (its identity: CA and sorted names). */
  putCertificate(name: string, certificate: StoredCertificate): Promise<void>;
  /** The certificate stored as `name`, or undefined. */
  getCertificate(name: string): Promise<StoredCertificate | undefined>;
  /** The ACME account key (PEM) shared for the CA directory `directoryUrl`, or undefined. */
  getAcmeAccountKey(directoryUrl: string): Promise<string | undefined>;
  /**
   * Stores `keyPem` as the account key for `directoryUrl` unless one is there already, and returns
   * the one stored: two instances creating a key at once end up with the same (the first) one.
   */
  claimAcmeAccountKey(directoryUrl: string, keyPem: string): Promise<string>;
}
