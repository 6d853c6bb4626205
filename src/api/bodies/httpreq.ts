/**
 * lego's httpreq protocol (providers/dns/httpreq): what its requests carry. The default mode posts
 * `{"fqdn", "value"}`; `HTTPREQ_MODE=RAW` posts `{"domain", "token", "keyAuth"}` and leaves the
 * DNS-01 digest to the server. Credentials come as HTTP Basic (RFC 7617).
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../errors';
import type { Credentials } from '../../accounts';
import { foldKey } from './acme-dns';

/** What /present and /cleanup act on. */
export interface HttpreqBody {
  /** The name the client meant; informational only (the account's own name is the one changed). */
  readonly fqdn: string;
  /** The TXT value: as sent, or RAW mode's digest of keyAuth; '' when missing (then 400 bad_txt). */
  readonly value: string;
}

/**
 * `Authorization: Basic base64(user:password)` as the username and key /update takes in headers.
 * The scheme is case-insensitive (RFC 9110 §11.1) and the user-id ends at the first colon
 * (RFC 7617 §2). Missing or unreadable: both undefined, which authentication refuses.
 */
export function basicCredentials(header: string | undefined): Credentials {
  const match = /^basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(header ?? '');
  if (!match) return { user: undefined, key: undefined };
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { user: undefined, key: undefined };
  return { user: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
}

/** RFC 8555 §8.4: the TXT value is base64url(SHA-256(key authorization)), without padding. */
export function dns01Value(keyAuthorization: string): string {
  return createHash('sha256').update(keyAuthorization, 'utf8').digest('base64url');
}

/**
 * Decodes either mode. A body that is not one JSON object is 400 malformed_json_payload; keys match
 * case-insensitively, as /update's do; a `value` wins over `keyAuth` when a body has both.
 */
export function decodeHttpreqBody(raw: Buffer): HttpreqBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new ApiError('malformed_json_payload', err instanceof Error ? err.message : 'invalid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError('malformed_json_payload', 'body is not a JSON object');
  }
  const fields = new Map<string, string>();
  for (const [key, v] of Object.entries(parsed)) if (typeof v === 'string') fields.set(foldKey(key), v);
  const keyAuth = fields.get('keyauth');
  const value = fields.get('value') ?? (keyAuth === undefined ? '' : dns01Value(keyAuth));
  return { fqdn: fields.get('fqdn') ?? fields.get('domain') ?? '', value };
}
