/**
 * What the management commands share: the store the configuration names (the one the server
 * uses, opened beside it: SQLite in WAL mode and PostgreSQL both allow that), the account a
 * command line names, and output that waits for a slow pipe.
 */
import fs from 'node:fs';
import type { Config } from '../config/types';
import { displayText } from '../core/display';
import { parseUuid } from '../core/uuid';
import { openStore, type AccountSummary, type AdminPort, type OperatorPort } from '../store';
import { loadCliConfig } from './config-file';

/** Writes to stdout, waiting when the pipe is full (a million-account listing into `less`). */
export type Out = (text: string) => Promise<void>;

/** The Out for process.stdout. */
export function stdoutOut(): Out {
  return (text) =>
    new Promise((resolve, reject) => {
      process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
    });
}

/**
 * Loads the configuration, opens its store, runs `fn`, closes the store. A SQLite file that does
 * not exist is an error, not a new empty store: the command is pointed at the wrong place.
 */
export async function withStore<T>(configFile: string | undefined, fn: (store: OperatorPort, config: Config) => Promise<T>): Promise<T> {
  const { file, config } = loadCliConfig(configFile);
  const { engine, connection } = config.database;
  if (engine === 'sqlite' && connection !== ':memory:' && !fs.existsSync(connection)) {
    throw new Error(`no store at ${connection} (database.connection in ${file}); has the server run with this configuration?`);
  }
  const store = await openStore(config.database, config.txt);
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
