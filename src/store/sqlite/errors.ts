import { StoreConflictError, StoreUnavailableError } from '../../core/errors';

/**
 * Runs a synchronous better-sqlite3 call with its driver errors mapped to the store's typed errors
 * (a constraint is a conflict, anything else unavailable); the message keeps the driver's text for the log.
 */
export function withStoreErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw storeError(err);
  }
}

/**
 * withStoreErrors' mapping, for the DNS hot path's reads, which catch it themselves: a closure per
 * call through withStoreErrors (whose call site sees every read of the store, so is never inlined)
 * cost ~35 ns a read.
 */
export function storeError(err: unknown): Error {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) return new StoreConflictError((err as Error).message);
  return new StoreUnavailableError(`sqlite: ${(err as Error).message}`, { cause: err });
}
