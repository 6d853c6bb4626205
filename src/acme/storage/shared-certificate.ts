/**
 * The API's certificate shared through the store: the instance that ordered it writes it there
 * (and to its acme_cache_dir, as a single instance and acme-dns migrants have it), every instance
 * loads it at start and picks a newer one up while running. No shared file system is needed.
 */
import type { Logger } from '../../log';
import type { AcmePort } from '../../store/types';
import { directoryKey, type CachedCertificate, type CertStore } from './cert-store';
import { inspectPair, unusableReason, type CertificateInfo, type CertificatePair } from '../certificate';
import { messageOf } from '../renewal/failure';
import type { SharingPolicy } from '../manager-types';

/** A usable certificate and where it came from. */
export interface FoundCertificate {
  readonly pair: CertificatePair;
  readonly info: CertificateInfo;
  readonly source: CachedCertificate['source'] | 'store';
}

/** What the start found: the certificate to serve (the one that lives longest), or why none. */
export type StartLookup =
  | { readonly found: FoundCertificate }
  | { readonly found?: undefined; readonly rejected: readonly string[] };

/** The store and the files together, as the manager uses them. */
export interface SharedCertificate {
  /** The certificate's identity in the store: CA directory and sorted names. */
  readonly identity: string;
  /**
   * The best certificate at start, store or files; the other side is brought up to date (a cached
   * file goes into an empty store, so the first PostgreSQL instance shares what SQLite had).
   */
  loadAtStart(now: number): Promise<StartLookup>;
  /** A usable certificate in the store newer than `held` (see isNewer), or undefined. Throws when the store does. */
  newerInStore(held: CertificateInfo | undefined, now: number): Promise<FoundCertificate | undefined>;
  /** Keeps a certificate we obtained: files and store; failures are logged, never thrown. */
  keep(pair: CertificatePair, info: CertificateInfo): Promise<void>;
  /** Writes a certificate another instance obtained to our files too; failures are logged. */
  mirror(found: FoundCertificate): Promise<void>;
}

/** `<ca key>/<names, lower-case, sorted, comma-separated>`: one row per CA and set of names. */
export function certificateIdentity(directoryUrl: string, names: readonly string[]): string {
  const sorted = [...new Set(names.map((n) => n.toLowerCase().replace(/\.$/, '')))].sort();
  return `${directoryKey(directoryUrl)}/${sorted.join(',')}`;
}

/**
 * Whether `stored` replaces `held`: it expires later, or at the same second but is another
 * certificate (a forced renewal within a second of the last issuance; X.509 times have whole
 * seconds, RFC 5280 §4.1.2.5). The store holds one certificate, so instances converge on it.
 */
export function isNewer(stored: CertificateInfo, held: CertificateInfo): boolean {
  return stored.notAfter > held.notAfter || (stored.notAfter === held.notAfter && stored.leafPem !== held.leafPem);
}

/** Builds the shared view over `store` and `certStore`. */
export function createSharedCertificate(options: {
  store: AcmePort;
  certStore: CertStore;
  directoryUrl: string;
  names: readonly string[];
  logger: Logger;
}): SharedCertificate {
  const { store, certStore, logger: log } = options;
  const identity = certificateIdentity(options.directoryUrl, options.names);

  const fromStore = async (now: number, rejected: string[]): Promise<FoundCertificate | undefined> => {
    const stored = await store.getCertificate(identity);
    if (!stored) return undefined;
    try {
      const pair = { key: stored.keyPem, cert: stored.certPem };
      const info = inspectPair(pair);
      const reason = unusableReason(info, options.names, now);
      if (reason === undefined) return { pair, info, source: 'store' };
      rejected.push(`the store's ${identity}: ${reason}`);
    } catch (err) {
      rejected.push(`the store's ${identity}: ${messageOf(err)}`);
    }
    return undefined;
  };

  const share = (pair: CertificatePair, info: CertificateInfo): Promise<void> =>
    store.putCertificate(identity, { certPem: pair.cert, keyPem: pair.key, notAfter: info.notAfter }).catch((err: unknown) =>
      log.error({ err: messageOf(err), identity }, 'could not write the certificate to the store; other instances will not see it'),
    );
  const save = (pair: CertificatePair): Promise<void> =>
    certStore.saveCertificate(pair).catch((err: unknown) =>
      log.error({ err: messageOf(err), dir: certStore.root }, 'could not save the certificate in acme_cache_dir'),
    );

  return {
    identity,
    async loadAtStart(now) {
      const rejected: string[] = [];
      // A store that cannot be read now (PostgreSQL down) leaves the files; the poll tries again.
      let readable = true;
      const shared = await fromStore(now, rejected).catch((err: unknown) => {
        readable = false;
        log.warn({ err: messageOf(err) }, 'could not read the shared certificate from the store');
        return undefined;
      });
      const files = await certStore.loadCertificate(now);
      if (!files.found) rejected.push(...files.rejected);
      const cached = files.found;
      if (shared && (!cached || shared.info.notAfter >= cached.info.notAfter)) {
        if (!cached || cached.pair.cert !== shared.pair.cert) await save(shared.pair);
        return { found: shared };
      }
      if (cached) {
        if (readable) await share(cached.pair, cached.info);
        return { found: cached };
      }
      return { rejected };
    },
    async newerInStore(held, now) {
      const found = await fromStore(now, []);
      return found && (!held || isNewer(found.info, held)) ? found : undefined;
    },
    async keep(pair, info) {
      // The files first: the instance's own restart does not depend on the database.
      await save(pair);
      await share(pair, info);
    },
    async mirror(found) {
      await save(found.pair);
    },
  };
}

/** Default coordination timing: a lease longer than any order, a look at the store every 30-60 s. */
export const DEFAULT_SHARING: SharingPolicy = { leaseTtlSeconds: 600, leaseRenewMs: 60_000, pollMs: 45_000, waitPollMs: 5_000 };

/** renewNow() while another instance holds the order lease: its certificate is picked up from the store. */
export class OrderLeaseHeldError extends Error {
  constructor() {
    super('another instance is ordering the certificate (it holds the order lease); this one serves it once it is in the store');
    this.name = 'OrderLeaseHeldError';
  }
}
