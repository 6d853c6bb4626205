/**
 * The store the configuration names, for the commands that read or change it while the server
 * runs (the same store, opened beside it: SQLite in WAL mode and PostgreSQL both allow that), and
 * the account a command line names.
 */
import fs from 'node:fs';
import type { Config } from '../config/types';
import { displayText } from '../core/display';
import { parseUuid } from '../core/uuid';
import { openStore, type AccountSummary, type AdminPort, type OperatorPort } from '../store';
import { loadCliConfig } from './config-file';

/**
 * Throws when the configuration names a SQLite file that does not exist: such a command is
 * pointed at the wrong place, and opening would create a new empty store there.
 */
export function requireStoreFile(file: string, config: Config): void {
  const { engine, connection } = config.database;
  if (engine === 'sqlite' && connection !== ':memory:' && !fs.existsSync(connection)) {
    throw new Error(`no store at ${connection} (database.connection in ${file}); has the server run with this configuration?`);
  }
}

/** Loads the configuration, opens its existing store (requireStoreFile), runs `fn`, closes the store. */
export async function withStore<T>(configFile: string | undefined, fn: (store: OperatorPort, config: Config) => Promise<T>): Promise<T> {
  const { file, config } = loadCliConfig(configFile);
  requireStoreFile(file, config);
  // A command looks up a name or two: no index of every account (store/sqlite/account-source.ts).
  const store = await openStore(config.database, config.txt, config.dns.domain, undefined, { servesDns: false });
  try {
    return await fn(store, config);
  } finally {
    await store.close();
  }
}

/** The account a command line names: its username (any case) or its subdomain. One line when unknown. */
export async function resolveAccount(store: AdminPort, name: string): Promise<AccountSummary> {
  const found = await store.describeAccount(parseUuid(name) ?? name);
  if (found === undefined) throw new Error(`unknown account: ${displayText(name)}`);
  return found;
}
