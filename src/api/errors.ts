/**
 * THE table from failures to responses (DESIGN rule 7): every refusal gets acme-dns's exact body,
 * every authentication failure the same 401, and internal error text goes to the log, never to
 * the client.
 */
import { ApiError, StoreUnavailableError, type ApiErrorCode } from '../core/errors';
import { jsonReply, notFoundReply, type Reply } from './reply';

/** acme-dns's error body: `{"error": "<code>"}`, with the space after the colon. */
export function jsonErrorBody(code: string): string {
  return `{"error": "${code}"}`;
}

/** Status per error code; `registration_disabled` answers as if /register did not exist. */
const TABLE: Readonly<Record<ApiErrorCode, () => Reply>> = {
  malformed_json_payload: () => jsonReply(400, jsonErrorBody('malformed_json_payload')),
  invalid_allowfrom_cidr: () => jsonReply(400, jsonErrorBody('invalid_allowfrom_cidr')),
  forbidden: () => jsonReply(401, jsonErrorBody('forbidden')),
  bad_subdomain: () => jsonReply(400, jsonErrorBody('bad_subdomain')),
  bad_txt: () => jsonReply(400, jsonErrorBody('bad_txt')),
  db_error: () => jsonReply(500, jsonErrorBody('db_error')),
  payload_too_large: () => jsonReply(413, jsonErrorBody('payload_too_large')),
  registration_disabled: () => notFoundReply(),
  rate_limited: () => jsonReply(429, jsonErrorBody('rate_limited')),
};

/** A request over a per-client limit (rate-limit.ts): 429 with `Retry-After` (RFC 6585 §4, RFC 9110 §10.2.3). */
export class RateLimitedError extends ApiError {
  constructor(
    /** Whole seconds until a retry can succeed, at least 1. */
    readonly retryAfterSeconds: number,
    detail: string,
  ) {
    super('rate_limited', detail);
    this.name = 'RateLimitedError';
  }
}

/** What a failure becomes: the reply, the code for the log, and the internal error if any. */
export interface MappedError {
  readonly reply: Reply;
  /** The error code, logged as the request's outcome. */
  readonly code: string;
  /** Why (e.g. "unknown user"): for the log only. */
  readonly reason?: string;
  /** An unexpected error, logged (once, with the request line) and never sent. */
  readonly internal?: unknown;
}

/**
 * Maps anything thrown while handling a request: an ApiError by its code; a store that cannot
 * be reached to 503 (retrying later may work); anything else to 500. Both 5xx carry acme-dns's
 * `db_error` body, the only internal-error body its clients know.
 */
export function mapError(err: unknown): MappedError {
  if (err instanceof ApiError) {
    const reply = TABLE[err.code]();
    const retry = err instanceof RateLimitedError ? { 'Retry-After': String(err.retryAfterSeconds) } : undefined;
    const mapped = { reply: retry ? { ...reply, headers: { ...reply.headers, ...retry } } : reply, code: err.code };
    return err.detail === undefined ? mapped : { ...mapped, reason: err.detail };
  }
  if (err instanceof StoreUnavailableError) {
    return { reply: jsonReply(503, jsonErrorBody('db_error')), code: 'db_error', reason: 'store unavailable', internal: err };
  }
  return { reply: jsonReply(500, jsonErrorBody('db_error')), code: 'db_error', reason: 'internal error', internal: err };
}
