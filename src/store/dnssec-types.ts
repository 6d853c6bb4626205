/**
 * The store's side of DNSSEC (issue 11): the zone's key set, one JSON document (keys with their
 * private PEM, and the rollover's state) with a version. Every instance on one database signs with
 * the same keys; a rollover step (the CLI) is a compare-and-set on the version, so two steps at
 * once cannot both apply. The private keys make the database a key file (like the ACME account key).
 */

/** The key set document and its version (1 for the first, +1 per replacement). */
export interface StoredKeyset {
  readonly version: number;
  readonly document: string;
}

/** The key set of the store's zone. */
export interface DnssecKeyPort {
  /** The stored key set, or undefined when DNSSEC was never started for the zone. */
  getDnssecKeyset(): Promise<StoredKeyset | undefined>;
  /**
   * Stores `document` as version 1 unless a key set is there already, and returns the one stored:
   * two instances starting at once end up with the same (the first) keys.
   */
  claimDnssecKeyset(document: string): Promise<StoredKeyset>;
  /** Replaces the document when the stored version is `expectedVersion` (it becomes +1); false when it is not. */
  replaceDnssecKeyset(expectedVersion: number, document: string): Promise<boolean>;
}
