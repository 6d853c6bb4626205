/** The driver's errors as the store's typed ones, however a read catches them. */
import { StoreConflictError, StoreUnavailableError } from '../../core/errors';
import { storeError, withStoreErrors } from './errors';

const driverError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

test.each<[string, unknown, new (...args: never[]) => Error]>([
  ['a constraint: a conflict', driverError('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed'), StoreConflictError],
  ['the database closed: unavailable', new TypeError('The database connection is not open'), StoreUnavailableError],
  ['a busy database: unavailable', driverError('SQLITE_BUSY', 'database is locked'), StoreUnavailableError],
])('%s', (_what, err, type) => {
  expect(storeError(err)).toBeInstanceOf(type);
  expect(() =>
    withStoreErrors(() => {
      throw err;
    }),
  ).toThrow(type);
});

test('the driver\'s text is kept for the log', () => {
  expect(storeError(driverError('SQLITE_BUSY', 'database is locked')).message).toContain('database is locked');
});
