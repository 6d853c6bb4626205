import type { DatabaseConfig } from '../config/types';
import type { TxtPolicy } from '../core/types';
import { openSqliteStore } from './sqlite';
import type { Store } from './types';

export type { Store, ImportEntry, ImportResult } from './types';
export { openSqliteStore } from './sqlite';
export { AcmeDnsDatabaseError } from './sqlite-open';

/** Opens the store the configuration names; the one place that picks an implementation. */
export async function openStore(database: DatabaseConfig, txt: TxtPolicy): Promise<Store> {
  switch (database.engine) {
    case 'sqlite':
      return openSqliteStore({ file: database.connection, txt });
    case 'postgres':
      throw new Error('database.engine = "postgres" is not supported yet');
  }
}
