/**
 * Which ACME directory a TLS mode means, and reading a directory (RFC 8555 §7.1.1) ourselves: the
 * read doubles as a quick reachability probe and tells us whether the CA offers ARI.
 */
import type { ApiConfig } from '../../config/types';
import { getJson, type HttpGetOptions } from './http-get';

/** Let's Encrypt production, as acme-dns's `tls = "letsencrypt"` (certmagic.LetsEncryptProductionCA). */
export const LETSENCRYPT_PRODUCTION = 'https://acme-v02.api.letsencrypt.org/directory';
/** Let's Encrypt staging, as acme-dns's `tls = "letsencryptstaging"`. */
export const LETSENCRYPT_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';

/** The directory URL for an ACME TLS mode; undefined for `none` and `cert`. */
export function directoryUrlFor(api: Pick<ApiConfig, 'tls' | 'acmeDirectory'>): string | undefined {
  switch (api.tls) {
    case 'letsencrypt':
      return LETSENCRYPT_PRODUCTION;
    case 'letsencryptstaging':
      return LETSENCRYPT_STAGING;
    case 'acme':
      return api.acmeDirectory;
    case 'none':
    case 'cert':
      return undefined;
  }
}

/**
 * The names of the API certificate: `general.domain`, then `api.api_domain` when set and
 * different (acme-dns ignores api_domain since v0.8, its #295). Lower-case, no trailing dot.
 */
export function certificateNames(domain: string, apiDomain: string): string[] {
  const names = [domain, apiDomain].map((n) => n.trim().toLowerCase().replace(/\.$/, '')).filter((n) => n !== '');
  return [...new Set(names)];
}

/** The parts of a directory we use. */
export interface DirectoryInfo {
  readonly newOrder: string;
  /** RFC 9773 renewalInfo base URL, when the CA offers ARI. */
  readonly renewalInfo?: string;
}

/** GETs the directory; throws (with the errno code) when the CA cannot be reached or answers nonsense. */
export async function readDirectory(url: string, options: HttpGetOptions): Promise<DirectoryInfo> {
  const response = await getJson(url, options);
  if (response.status !== 200) throw new Error(`the ACME directory ${url} answered HTTP ${response.status}`);
  const body = response.body as { newOrder?: unknown; renewalInfo?: unknown } | undefined;
  if (typeof body !== 'object' || body === null || typeof body.newOrder !== 'string') {
    throw new Error(`${url} is not an ACME directory (no newOrder)`);
  }
  return {
    newOrder: body.newOrder,
    ...(typeof body.renewalInfo === 'string' ? { renewalInfo: body.renewalInfo } : {}),
  };
}
