import { StoreUnavailableError } from '../../core/errors';
import type { Logger } from '../../log';
import { AcmeDnsDatabaseError, readMigrations } from '../migrations';
import { isTransient } from './errors';
import type { PgDb, TxQuery } from './pool';
import { MIGRATION_SQL } from './sql';

/** A PostgreSQL database that holds acme-dns's tables and not ours: it should be imported, not served empty. */
export class AcmeDnsPostgresDatabaseError extends AcmeDnsDatabaseError {
  constructor(where: string) {
    super(where);
    this.message =
      `${where} holds acme-dns's tables (records, txt, acmedns), not acmedns ones: point database.connection ` +
      `at a new, empty database, then import it with "acmedns import --from <its connection string> -c <config>"`;
  }
}

/** How long a migration transaction (and waiting for another instance's) may take. */
const MIGRATION_TIMEOUT_MS = 300_000;

async function tableExists(q: TxQuery, name: string): Promise<boolean> {
  const r = await q<{ t: string | null }>(MIGRATION_SQL.tableExists, [name]);
  return r.rows[0]?.t != null;
}

/**
 * Applies the numbered migrations not yet recorded, all in one transaction under the advisory
 * lock: a second instance waits, then finds them applied. PostgreSQL's DDL is transactional,
 * so a failed migration leaves nothing half done.
 */
export async function migratePostgres(db: PgDb, where: string): Promise<void> {
  await db.transaction(async (q) => {
    await q({ text: `SET LOCAL statement_timeout = ${MIGRATION_TIMEOUT_MS}` });
    await q(MIGRATION_SQL.lock);
    if (!(await tableExists(q, 'schema_migrations')) && (await tableExists(q, 'records')) && (await tableExists(q, 'acmedns'))) {
      throw new AcmeDnsPostgresDatabaseError(where);
    }
    await q(MIGRATION_SQL.createTable);
    const applied = new Set((await q<{ version: number }>(MIGRATION_SQL.appliedVersions)).rows.map((r) => r.version));
    for (const m of readMigrations('postgres')) {
      if (applied.has(m.version)) continue;
      await q({ text: m.sql });
      await q(MIGRATION_SQL.record, [m.version, Math.floor(Date.now() / 1000)]);
    }
  }, MIGRATION_TIMEOUT_MS);
}

/** How open waits for a database that is not there yet. */
export interface OpenRetry {
  /** Give up after this long (ms). */
  readonly timeoutMs: number;
  /** First pause between attempts; doubles up to maxDelayMs. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

/**
 * Runs `attempt` until it succeeds, a non-transient error occurs, or the bound has passed (one last
 * attempt is made at the bound). A database that starts after us (compose, systemd ordering) is
 * waited for; a wrong password or a missing database fails at once.
 */
export async function withOpenRetry(attempt: () => Promise<void>, retry: OpenRetry, where: string, logger?: Logger): Promise<void> {
  const deadline = Date.now() + retry.timeoutMs;
  let delay = retry.initialDelayMs ?? 500;
  for (;;) {
    try {
      await attempt();
      return;
    } catch (err) {
      if (!isTransient(err)) throw err;
      const remaining = deadline - Date.now();
      const message = err instanceof Error ? err.message : String(err);
      if (remaining <= 0) {
        throw new StoreUnavailableError(`gave up after ${retry.timeoutMs} ms: ${message}`, { cause: err });
      }
      const pause = Math.min(delay, remaining);
      logger?.warn({ where, error: message, retryInMs: pause }, 'postgres not reachable yet, retrying');
      await new Promise((resolve) => setTimeout(resolve, pause));
      delay = Math.min(delay * 2, retry.maxDelayMs ?? 10_000);
    }
  }
}
