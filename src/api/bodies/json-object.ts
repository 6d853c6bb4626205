/**
 * The bodies of our own routes (not acme-dns's): one JSON object, keys matched case-insensitively
 * and unknown keys ignored as every body of this API is read (acme-dns.ts), but a body that is not
 * what the route needs is refused with malformed_json_payload rather than half-read.
 */
import { ApiError } from '../errors';
import { foldKey } from './acme-dns';

/** The one JSON object of a body; ApiError malformed_json_payload when it is anything else. */
export function jsonObject(raw: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new ApiError('malformed_json_payload', err instanceof Error ? err.message : 'invalid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiError('malformed_json_payload', 'body is not a JSON object');
  return value as Record<string, unknown>;
}

/** The value of `field` (folded key), when a string; malformed when it has another type; undefined when absent or null. */
export function stringField(body: Record<string, unknown>, field: string): string | undefined {
  let found: string | undefined;
  for (const [key, v] of Object.entries(body)) {
    if (foldKey(key) !== field || v === null) continue;
    if (typeof v !== 'string') throw new ApiError('malformed_json_payload', `${field} is not a string`);
    found = v;
  }
  return found;
}
