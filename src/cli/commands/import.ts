import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseConfig } from '../../config/types';
import {
  AcmeDnsDatabaseError,
  describeConnection,
  openStore,
  parsePostgresConnection,
  type Store,
} from '../../store';
import { importFromSource, isPostgresSource, openAcmeDnsSource, type AcmeDnsSource } from '../../import';
import type { Command } from '../command';
import { CONFIG_OPTION_HELP, parseServerLine, SERVER_OPTIONS } from '../command-line';
import { loadCliConfig } from '../config-file';
import { createProgress, formatSummary, type ProgressStream } from '../import';

/** What `acmedns import` was asked to do. */
export interface ImportCommandOptions {
  readonly configFile: string | undefined;
  readonly from: string | undefined;
  readonly dryRun: boolean;
}

/** Where the summary and the progress go (stdout and stderr unless a caller says otherwise). */
export interface ImportIo {
  readonly out: { write(chunk: string): boolean };
  readonly progress: ProgressStream;
}

/** Accounts per store transaction: memory stays flat, and the progress bar moves. */
const BATCH_SIZE = 5000;

function describeTarget(database: DatabaseConfig): string {
  return database.engine === 'sqlite' ? `sqlite ${database.connection}` : describeConnection(parsePostgresConnection(database.connection));
}

function sameFile(a: string, b: string): boolean {
  const real = (f: string): string => {
    try {
      return fs.realpathSync(f);
    } catch {
      return path.resolve(f);
    }
  };
  return real(a) === real(b);
}

async function openTarget(database: DatabaseConfig, txt: { keep: number; maxAgeSeconds: number }, zone: string): Promise<Store> {
  try {
    return await openStore(database, txt, zone);
  } catch (err) {
    if (err instanceof AcmeDnsDatabaseError) {
      throw new Error(
        `database.connection (${describeTarget(database)}) holds acme-dns's tables: point it at a new ` +
          `${database.engine === 'sqlite' ? 'file' : 'empty database'} for acmedns; --from stays where it is`,
      );
    }
    throw new Error(`cannot open the store (${describeTarget(database)}): ${(err as Error).message}`);
  }
}

/**
 * `acmedns import --from <acme-dns database> [-c FILE] [--dry-run]`: copies every acme-dns account
 * (username, bcrypt hash, subdomain, allowfrom) and its TXT values into the store the configuration
 * names, the same store `serve` uses. Safe to run again: nothing is duplicated or overwritten.
 */
export async function runImport(
  options: ImportCommandOptions,
  io: ImportIo = { out: process.stdout, progress: process.stderr },
): Promise<void> {
  if (options.from === undefined || options.from === '') {
    throw new Error('import needs --from <acme-dns database file | postgres URL>');
  }
  const from = options.from;
  const { config } = loadCliConfig(options.configFile);
  if (config.database.engine === 'sqlite' && !isPostgresSource(from) && sameFile(from, config.database.connection)) {
    throw new Error(
      `--from and database.connection both name ${from}: point database.connection at a new file for acmedns ` +
        '(it keeps its own tables), then import',
    );
  }

  let source: AcmeDnsSource | undefined;
  let store: Store | undefined;
  try {
    source = await openAcmeDnsSource(from);
    store = options.dryRun ? undefined : await openTarget(config.database, config.txt, config.dns.domain);
    const progress = createProgress(io.progress, 'accounts');
    let report;
    try {
      report = await importFromSource(source, store, {
        batchSize: BATCH_SIZE,
        keep: config.txt.keep,
        maxAgeSeconds: config.txt.maxAgeSeconds,
        nowSeconds: Math.floor(Date.now() / 1000),
        audit: { actor: 'cli' },
        onProgress: (done, total) => progress.update(done, total),
      });
    } finally {
      progress.finish();
    }
    io.out.write(
      formatSummary(report, {
        target: describeTarget(config.database),
        dryRun: options.dryRun,
        maxAgeSeconds: config.txt.maxAgeSeconds,
        keep: config.txt.keep,
      }),
    );
  } finally {
    await source?.close();
    await store?.close();
  }
}

/** `acmedns import`. */
export const importCommand: Command<ImportCommandOptions> = {
  name: 'import',
  section: 'commands',
  overview:
    '  import         copy accounts and TXT values from acme-dns into the configured store:\n' +
    '                 import --from <acme-dns.db file | postgres URL> [--dry-run]\n',
  usage: `usage: acmedns import --from <acme-dns.db file | postgres URL> [--dry-run] [-c FILE]

copies every acme-dns account (username, password hash, subdomain, allowfrom) and its TXT values
into the store the configuration names; safe to run again: nothing is duplicated or overwritten

options:
  --from SOURCE       the acme-dns database: its SQLite file, or a PostgreSQL URL or DSN
  --dry-run           read and check the source, print the summary, write nothing
${CONFIG_OPTION_HELP}`,
  options: SERVER_OPTIONS,
  parse: (argv) => {
    const request = parseServerLine(argv);
    if (request.kind !== 'run') return request;
    const { configFile, from, dryRun } = request.args;
    return { kind: 'run', args: { configFile, from, dryRun: dryRun ?? false } };
  },
  run: (options) => runImport(options),
};
