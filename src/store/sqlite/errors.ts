import { StoreConflictError, StoreUnavailableError } from '../../core/errors';

/** Maps driver errors to the store's typed errors; the message keeps the driver's text for the log. */
export function guard<T>(fn: () => T): T {
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
