/**
 * Part of the composition root (daemon.ts): wires the ACME manager for the API's own certificate
 * to the store (it publishes its DNS-01 values there, so every instance sharing the store answers
 * them), to our DNS server (asked directly before the CA is told) and to the HTTPS listener.
 */
import type { AddressInfo } from 'node:net';
import {
  certificateNames,
  createAcmeManager,
  type AcmeManager,
  type BackoffPolicy,
  type CurrentCertificate,
  type SharingPolicy,
  type VisibilityPolicy,
} from './acme';
import type { ApiServer } from './api';
import type { Config } from './config/types';
import { createSelfQuery } from './dns';
import type { Logger } from './log';
import type { AcmePort } from './store';

/** The running manager, as the daemon offers it (tests force a renewal through it). */
export interface OwnCertificate {
  /** Requests a new certificate now and serves it; rejects when that attempt fails (a retry follows). */
  renewNow(): Promise<void>;
  /** The certificate being served, if any yet. */
  current(): CurrentCertificate | undefined;
}

/** Retry, own-answer and instance-coordination timing; each absent one is the manager's default. */
export interface AcmeTiming {
  readonly backoff?: BackoffPolicy;
  readonly visibility?: VisibilityPolicy;
  readonly sharing?: Partial<SharingPolicy>;
}

/** What the manager is wired to. */
export interface OwnCertificateDeps {
  readonly config: Config;
  readonly store: AcmePort;
  /** What the DNS server bound: the own-answer check asks the first address. */
  readonly dns: { readonly udp: readonly AddressInfo[]; readonly tcp: readonly AddressInfo[] };
  readonly api: ApiServer;
  readonly logger: Logger;
  /** Extra trusted root (PEM) for the CA's HTTPS: a private CA, or pebble in tests. */
  readonly caCertificates?: string | undefined;
  readonly timing?: AcmeTiming | undefined;
}

export { ownChallengeNames, usesOwnCertificate } from './daemon-own-names';

/**
 * Starts the manager: a valid cached certificate is served before this resolves; otherwise the
 * request runs in the background (DNS already serves, HTTPS starts when the certificate arrives).
 */
export async function startOwnCertificate(deps: OwnCertificateDeps): Promise<AcmeManager> {
  const { config, api } = deps;
  const manager = createAcmeManager({
    config: config.api,
    zone: config.dns.domain,
    names: certificateNames(config.dns.domain, config.api.apiDomain),
    store: deps.store,
    checkOwnAnswer: createSelfQuery(deps.dns),
    logger: deps.logger,
    onCertificate: (pair) => api.setCertificate(pair),
    ...(deps.caCertificates === undefined ? {} : { caCertificates: deps.caCertificates }),
    ...(deps.timing?.backoff ? { backoff: deps.timing.backoff } : {}),
    ...(deps.timing?.visibility ? { visibility: deps.timing.visibility } : {}),
    ...(deps.timing?.sharing ? { sharing: deps.timing.sharing } : {}),
  });
  await manager.start();
  return manager;
}
