/** The manager's public shapes: what it is built from and what it offers. */
import type { ApiConfig } from '../config/types';
import type { Logger } from '../log';
import type { AcmePort } from '../store/types';
import type { CertificatePair } from './certificate';
import type { CheckOwnAnswer, VisibilityPolicy } from './order/challenge';
import type { BackoffPolicy } from './renewal/schedule';

/** What the manager is built from. */
export interface AcmeManagerOptions {
  /** The API slice: tls mode, acme_cache_dir, notification_email, acme_directory, EAB. */
  readonly config: ApiConfig;
  /** Our zone (`general.domain`): names outside it get their challenge at `_acme-challenge.<name>.<zone>`. */
  readonly zone: string;
  /** The certificate's names, primary first (see certificateNames). */
  readonly names: readonly string[];
  /** Own-challenge values, and (shared by every instance on it) the order lease, certificate and account key. */
  readonly store: AcmePort;
  readonly checkOwnAnswer: CheckOwnAnswer;
  readonly logger: Logger;
  /** Called with each certificate to serve: the cached one at start, then every renewal. */
  readonly onCertificate: (pair: CertificatePair) => void | Promise<void>;
  /** Extra trusted root (PEM) for the CA's HTTPS: a private CA, or pebble in tests. */
  readonly caCertificates?: string;
  readonly backoff?: BackoffPolicy;
  readonly visibility?: VisibilityPolicy;
  /** Timing of the coordination between instances (tests shorten it). */
  readonly sharing?: Partial<SharingPolicy>;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** How instances sharing a store take turns ordering and pick up each other's certificate. */
export interface SharingPolicy {
  /** The order lease runs this long without being extended (longer than an order takes). */
  readonly leaseTtlSeconds: number;
  /** While ordering, the lease is extended this often. */
  readonly leaseRenewMs: number;
  /** How often the store is looked at for a newer certificate (jittered by a third either way). */
  readonly pollMs: number;
  /** How often an instance waiting for another one's order looks (it has nothing newer to serve yet). */
  readonly waitPollMs: number;
}

/** The certificate being served. */
export interface CurrentCertificate {
  readonly key: string;
  readonly cert: string;
  readonly notAfter: Date;
  /** When its renewal is planned (two thirds of its life, or the CA's ARI window); undefined when none is planned. */
  readonly renewAt?: Date | undefined;
}

/** A running certificate manager. */
export interface AcmeManager {
  /** Loads the cache (serving a valid certificate at once) and schedules the rest; never waits for the CA. */
  start(): Promise<void>;
  /** Cancels timers and the attempt in flight; the certificate on disk stays. */
  stop(): Promise<void>;
  /** Requests a new certificate now; rejects when that attempt fails (a retry is then scheduled). */
  renewNow(): Promise<void>;
  current(): CurrentCertificate | undefined;
}
