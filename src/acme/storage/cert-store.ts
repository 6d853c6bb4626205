/**
 * `acme_cache_dir`: the ACME account key and the API's key and chain, one tree per CA directory
 * so a staging account never meets production. Files are 0600 and replaced atomically.
 *
 *   <dir>/acmedns/<ca-key>/account.key
 *   <dir>/acmedns/<ca-key>/<first name>/privkey.pem, fullchain.pem
 *
 * It also reads (never writes) the certificate acme-dns's certmagic left in the same directory,
 * `<dir>/certificates/<ca-key>/<domain>/<domain>.{crt,key}`, so switching from acme-dns does not
 * cost a new certificate (acme-dns #249: the duplicate-certificate limit).
 */
import path from 'node:path';
import { readIfExists, writeFileAtomic } from './atomic-file';
import { inspectPair, unusableReason, type CertificateInfo, type CertificatePair } from '../certificate';

/** A usable certificate found on disk, and where it came from. */
export interface CachedCertificate {
  readonly pair: CertificatePair;
  readonly info: CertificateInfo;
  readonly source: 'cache' | 'acme-dns';
}

/** The outcome of looking on disk: a usable certificate, or the reasons the ones found were not. */
export type CacheLookup =
  | { readonly found: CachedCertificate }
  | { readonly found?: undefined; readonly rejected: readonly string[] };

/** Storage for one CA directory and one set of names. */
export interface CertStore {
  /** Where the files live, for log lines. */
  readonly root: string;
  loadAccountKey(): Promise<string | undefined>;
  saveAccountKey(pem: string): Promise<void>;
  /** The certificate to serve at start, if one on disk covers `names` and has not expired. */
  loadCertificate(now: number): Promise<CacheLookup>;
  /** Saves a new pair: key first, then chain, each atomically (a mismatch after a crash is detected on load). */
  saveCertificate(pair: CertificatePair): Promise<void>;
}

/**
 * The file-system-safe key of a CA directory URL, as certmagic derives it (host, then the path
 * with slashes as hyphens; `acme-v02.api.letsencrypt.org-directory`), so both layouts line up.
 */
export function directoryKey(directoryUrl: string): string {
  const url = new URL(directoryUrl);
  const trimmed = url.pathname.replace(/[/\\]/g, '-').replace(/^-+|-+$/g, '');
  return safeName(trimmed === '' ? url.host : `${url.host}-${trimmed}`);
}

/** Lower-case, `:` as `-`, `*` as `wildcard_`, anything outside `[a-z0-9._@-]` dropped (certmagic's StorageKeys.Safe). */
export function safeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/ /g, '_')
    .replace(/\+/g, '_plus_')
    .replace(/\*/g, 'wildcard_')
    .replace(/:/g, '-')
    .replace(/\.\./g, '')
    .replace(/[^a-z0-9._@-]/g, '');
}

/** Opens the store for `names` (the first is the certificate's primary name) under `dir`. */
export function createCertStore(options: { dir: string; directoryUrl: string; names: readonly string[] }): CertStore {
  const caKey = directoryKey(options.directoryUrl);
  const root = path.resolve(options.dir, 'acmedns', caKey);
  const primary = safeName(options.names[0] ?? 'default');
  const keyFile = path.join(root, primary, 'privkey.pem');
  const chainFile = path.join(root, primary, 'fullchain.pem');
  const legacyDir = path.resolve(options.dir, 'certificates', caKey, primary);

  const tryPair = async (
    key: string,
    cert: string,
    source: CachedCertificate['source'],
    now: number,
    rejected: string[],
  ): Promise<CachedCertificate | undefined> => {
    const [keyPem, certPem] = await Promise.all([readIfExists(key), readIfExists(cert)]);
    if (keyPem === undefined || certPem === undefined) return undefined;
    try {
      const info = inspectPair({ key: keyPem, cert: certPem });
      const reason = unusableReason(info, options.names, now);
      if (reason === undefined) return { pair: { key: keyPem, cert: certPem }, info, source };
      rejected.push(`${cert}: ${reason}`);
    } catch (err) {
      rejected.push(`${cert}: ${(err as Error).message}`);
    }
    return undefined;
  };

  return {
    root,
    loadAccountKey: () => readIfExists(path.join(root, 'account.key')),
    saveAccountKey: (pem) => writeFileAtomic(path.join(root, 'account.key'), pem),
    async loadCertificate(now) {
      const rejected: string[] = [];
      const own = await tryPair(keyFile, chainFile, 'cache', now, rejected);
      if (own) return { found: own };
      const legacy = await tryPair(
        path.join(legacyDir, `${primary}.key`),
        path.join(legacyDir, `${primary}.crt`),
        'acme-dns',
        now,
        rejected,
      );
      return legacy ? { found: legacy } : { rejected };
    },
    async saveCertificate(pair) {
      await writeFileAtomic(keyFile, pair.key);
      await writeFileAtomic(chainFile, pair.cert);
    },
  };
}
