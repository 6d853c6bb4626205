/**
 * Typed errors raised inside the server. The API maps them to acme-dns's exact bodies in one
 * place (api/errors.ts); the DNS side maps StoreUnavailableError to SERVFAIL.
 */

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
  | 'rate_limited';

/** A request-level failure whose code decides the response; `detail` is for the log only. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'ApiError';
  }
}

/** The store could not be reached or failed; callers answer SERVFAIL / 503 and never guess. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A unique key (username or subdomain) already exists. */
export class StoreConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreConflictError';
  }
}

/** The configuration is wrong; the message names the key and what is allowed. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
