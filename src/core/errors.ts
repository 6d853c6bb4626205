/**
 * Domain errors: what went wrong, never how a transport answers it. The API maps them to
 * acme-dns's exact bodies in one place (api/errors.ts), the CLI to its own lines; the DNS side
 * maps StoreUnavailableError to SERVFAIL.
 */

/**
 * An account action refused for a reason the client caused (wrong key, over a limit, a bad
 * value). Each transport answers it its own way (api/errors.ts, the CLI); `reason` says what
 * exactly happened, for the log only: it may name what the client must not learn.
 */
export abstract class AccountRefusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * The credentials did not prove an account: malformed, unknown user, wrong key, an address
 * outside allowfrom, another account's subdomain. Every case looks the same to the client.
 */
export class AuthenticationFailedError extends AccountRefusal {
  override readonly name = 'AuthenticationFailedError';
}

/** The account authenticated, then was gone before the action (deleted meanwhile). */
export class AccountGoneError extends AccountRefusal {
  override readonly name = 'AccountGoneError';
  constructor() {
    super('account deleted meanwhile');
  }
}

/** Over one of the account limits (accounts/limits.ts); a retry after `retryAfterSeconds` can succeed. */
export class RateLimitedError extends AccountRefusal {
  override readonly name = 'RateLimitedError';
  constructor(
    /** Whole seconds until a retry can succeed, at least 1. */
    readonly retryAfterSeconds: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** An allowfrom list with an entry that is no CIDR, or too many entries. */
export class InvalidAllowFromError extends AccountRefusal {
  override readonly name = 'InvalidAllowFromError';
}

/** The subdomain an update names is not a valid one. */
export class BadSubdomainError extends AccountRefusal {
  override readonly name = 'BadSubdomainError';
}

/** A TXT value that is not what a DNS-01 value looks like. */
export class BadTxtError extends AccountRefusal {
  override readonly name = 'BadTxtError';
}

/** A TSIG algorithm we do not offer (RFC 8945 §6 lists the names; accounts/tsig-algorithms.ts ours). */
export class BadTsigAlgorithmError extends AccountRefusal {
  override readonly name = 'BadTsigAlgorithmError';
}

/** The account holds as many TSIG keys as it may (accounts/tsig-keys.ts says why there is a cap). */
export class TsigKeyLimitError extends AccountRefusal {
  override readonly name = 'TsigKeyLimitError';
}

/** No TSIG key of that name (for the account asking, when one asks). */
export class TsigKeyNotFoundError extends AccountRefusal {
  override readonly name = 'TsigKeyNotFoundError';
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
