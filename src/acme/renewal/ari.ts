/**
 * ACME Renewal Information (RFC 9773): the CA says when a certificate should be renewed, e.g.
 * early when it is about to be revoked. Offered when the directory has a `renewalInfo` URL.
 */
import { X509Certificate } from 'node:crypto';
import { certificateIds } from './der';
import { getJson, type HttpGetOptions } from '../order/http-get';
import type { RenewalWindow } from './schedule';

/** How often to ask again when the CA sends no usable Retry-After (RFC 9773 §4.3 suggests ~6 h). */
export const DEFAULT_ARI_RECHECK_MS = 6 * 3600 * 1000;

/** The CA's advice and when to ask again. */
export interface RenewalInfo {
  readonly window: RenewalWindow;
  readonly recheckAt: number;
  /** A page explaining the window, when the CA gives one. */
  readonly explanationUrl?: string;
}

/**
 * The unique identifier of a certificate for ARI (RFC 9773 §4.1): base64url of the AKI
 * keyIdentifier, a dot, base64url of the serial's DER content octets; undefined without an AKI.
 */
export function ariCertId(certPem: string): string | undefined {
  const { serial, authorityKeyId } = certificateIds(new X509Certificate(certPem).raw);
  if (!authorityKeyId) return undefined;
  return `${authorityKeyId.toString('base64url')}.${serial.toString('base64url')}`;
}

/**
 * Validates a renewalInfo body (RFC 9773 §4.2): `suggestedWindow.start` and `.end` are RFC 3339
 * times, end after start. Anything else is ignored (undefined), never guessed.
 */
export function parseRenewalInfo(body: unknown, recheckAt: number): RenewalInfo | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const window = (body as { suggestedWindow?: unknown }).suggestedWindow;
  if (typeof window !== 'object' || window === null) return undefined;
  const { start, end } = window as { start?: unknown; end?: unknown };
  if (typeof start !== 'string' || typeof end !== 'string') return undefined;
  const startMs = Date.parse(start);
  const endMs = Date.parse(end);
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs) return undefined;
  const explanation = (body as { explanationURL?: unknown }).explanationURL;
  return {
    window: { start: startMs, end: endMs },
    recheckAt,
    ...(typeof explanation === 'string' ? { explanationUrl: explanation } : {}),
  };
}

/** Retry-After (RFC 9110 §10.2.3: seconds or an HTTP date) as an absolute time, or undefined. */
export function retryAfterAt(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return now + Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? date : undefined;
}

/** Fetches the CA's advice for `certPem` from the directory's `renewalInfo` base URL. */
export async function fetchRenewalInfo(
  renewalInfoUrl: string,
  certPem: string,
  options: HttpGetOptions,
  now: number,
): Promise<RenewalInfo | undefined> {
  const id = ariCertId(certPem);
  if (!id) return undefined;
  const base = renewalInfoUrl.endsWith('/') ? renewalInfoUrl : `${renewalInfoUrl}/`;
  const response = await getJson(`${base}${id}`, options);
  if (response.status !== 200) throw new Error(`renewalInfo answered HTTP ${response.status}`);
  // Clamp the CA's Retry-After to [1 min, 1 day]: RFC 9773 §4.3 asks clients to cap it sensibly.
  const after = retryAfterAt(response.headers['retry-after'], now) ?? now + DEFAULT_ARI_RECHECK_MS;
  const recheckAt = Math.min(Math.max(after, now + 60_000), now + 24 * 3600 * 1000);
  return parseRenewalInfo(response.body, recheckAt);
}
