import { StoreConflictError, StoreUnavailableError } from '../../core/errors';

/**
 * Runs a synchronous better-sqlite3 call with its driver errors mapped to the store's typed errors
 * (a constraint is a conflict, anything else unavailable); the message keeps the driver's text for the log.
 */
export function withStoreErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
      throw new StoreConflictError((err as Error).message);
    }
    throw new StoreUnavailableError(`sqlite: ${(err as Error).message}`, { cause: err });
  }
}
