import { StoreConflictError, StoreUnavailableError } from '../../core/errors';

/** Node socket errors that say "the server is not there (yet)". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EPIPE',
  'EAI_AGAIN', 'ENOTFOUND', 'ENOENT',
]);

/**
 * SQLSTATEs worth waiting for (PostgreSQL appendix A): the shutdown/startup family of class 57,
 * too many connections, and everything in class 08 (connection exception).
 */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * True when retrying later may succeed (server down, restarting, unreachable, timed out); false
 * for errors a retry cannot fix (wrong password, missing database, bad SQL).
 */
export function isTransient(error: unknown): boolean {
  // A driver error already mapped by toStoreError: judge the original.
  const err = error instanceof StoreUnavailableError && error.cause !== undefined ? error.cause : error;
  const code = codeOf(err);
  if (code !== undefined) {
    if (NETWORK_CODES.has(code) || TRANSIENT_SQLSTATES.has(code) || code.startsWith('08')) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return false;
  }
  // pg's own errors carry no code: "Connection terminated unexpectedly", "timeout exceeded when
  // trying to connect", "Query read timeout", "... not queryable".
  return /connection terminated|timeout|not queryable|connection error/i.test(messageOf(err));
}

/** Removes the password from a message, should a driver ever echo it (short ones would mangle text). */
export function scrub(message: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? message.split(secret).join('[redacted]') : message;
}

/**
 * Maps a driver error to the store's typed errors: unique_violation (23505) is a conflict,
 * anything else means the database cannot serve us now. The message names the place, never the password.
 */
export function toStoreError(err: unknown, where: string, secret?: string): Error {
  if (err instanceof StoreConflictError || err instanceof StoreUnavailableError) return err;
  const code = codeOf(err);
  const message = scrub(messageOf(err), secret);
  if (code === '23505') return new StoreConflictError(`${where}: ${message}`);
  return new StoreUnavailableError(`${where}: ${message}${code ? ` (${code})` : ''}`, { cause: err });
}
