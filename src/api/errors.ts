/**
 * THE table from failures to responses (DESIGN rule 7): every refusal gets acme-dns's exact body,
 * every authentication failure the same 401, and internal error text goes to the log, never to
 * the client. Domain errors (core/errors.ts) name what happened; only this file knows HTTP.
 */
import {
  AccountGoneError,
  AccountRefusal,
  AuthenticationFailedError,
  BadSubdomainError,
  BadTsigAlgorithmError,
  BadTxtError,
  InvalidAllowFromError,
  RateLimitedError,
  StoreUnavailableError,
  TsigKeyLimitError,
  TsigKeyNotFoundError,
} from '../core/errors';
import { jsonReply, notFoundReply, type Reply } from './http/reply';

/** The reasons a request is refused; each maps to one acme-dns error body. */
export type ApiErrorCode =
  | 'malformed_json_payload'
  | 'invalid_allowfrom_cidr'
  | 'forbidden'
  | 'bad_subdomain'
  | 'bad_txt'
  | 'db_error'
  | 'payload_too_large'
  | 'registration_disabled'
  | 'rate_limited'
  // Ours (TSIG keys, /account/tsig); acme-dns has no such routes.
  | 'bad_tsig_algorithm'
  | 'tsig_key_limit'
  | 'tsig_key_not_found'
  // Ours (POST /account/check): the domain to check is no domain name.
  | 'bad_domain';

/** A refusal only HTTP knows (a body that is no JSON, too large, a route turned off); `detail` is for the log only. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'ApiError';
  }
}

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
  bad_tsig_algorithm: () => jsonReply(400, jsonErrorBody('bad_tsig_algorithm')),
  // 409: the request is fine, the account's state (its keys) refuses it until one is removed (RFC 9110 §15.5.10).
  tsig_key_limit: () => jsonReply(409, jsonErrorBody('tsig_key_limit')),
  tsig_key_not_found: () => jsonReply(404, jsonErrorBody('tsig_key_not_found')),
  bad_domain: () => jsonReply(400, jsonErrorBody('bad_domain')),
};

/** The code each domain refusal answers with; an account gone meanwhile is one more 401. */
const REFUSALS: readonly (readonly [abstract new (...args: never[]) => AccountRefusal, ApiErrorCode])[] = [
  [AuthenticationFailedError, 'forbidden'],
  [AccountGoneError, 'forbidden'],
  [RateLimitedError, 'rate_limited'],
  [InvalidAllowFromError, 'invalid_allowfrom_cidr'],
  [BadSubdomainError, 'bad_subdomain'],
  [BadTxtError, 'bad_txt'],
  [BadTsigAlgorithmError, 'bad_tsig_algorithm'],
  [TsigKeyLimitError, 'tsig_key_limit'],
  // Another account's key answers as an unknown one: nothing tells the two apart.
  [TsigKeyNotFoundError, 'tsig_key_not_found'],
];

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

/** The reply of `code` and what the log gets. */
function refusal(code: ApiErrorCode, reason: string | undefined): MappedError {
  return reason === undefined ? { reply: TABLE[code](), code } : { reply: TABLE[code](), code, reason };
}

/**
 * Maps anything thrown while handling a request: an ApiError by its code, a domain refusal by
 * REFUSALS (429 with `Retry-After`: RFC 6585 §4, RFC 9110 §10.2.3); a store that cannot be
 * reached to 503 (retrying later may work); anything else to 500. Both 5xx carry acme-dns's
 * `db_error` body, the only internal-error body its clients know.
 */
export function mapError(err: unknown): MappedError {
  if (err instanceof ApiError) return refusal(err.code, err.detail);
  if (err instanceof AccountRefusal) {
    const code = REFUSALS.find(([type]) => err instanceof type)?.[1];
    if (code !== undefined) {
      const mapped = refusal(code, err.reason);
      if (!(err instanceof RateLimitedError)) return mapped;
      const headers = { ...mapped.reply.headers, 'Retry-After': String(err.retryAfterSeconds) };
      return { ...mapped, reply: { ...mapped.reply, headers } };
    }
  }
  if (err instanceof StoreUnavailableError) {
    return { reply: jsonReply(503, jsonErrorBody('db_error')), code: 'db_error', reason: 'store unavailable', internal: err };
  }
  return { reply: jsonReply(500, jsonErrorBody('db_error')), code: 'db_error', reason: 'internal error', internal: err };
}
