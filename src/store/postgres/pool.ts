import type * as Pg from 'pg';
import type { ClientConfig, Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import type { Logger } from '../../log';
import { scrub, toStoreError } from './errors';

/**
 * The pg driver, loaded when the first pool is made: a process on SQLite (every DNS worker of one)
 * never loads it, which saves 2.8 MiB of heap and measured 3-4 MiB of RSS per DNS worker.
 */
export function loadPg(): typeof Pg {
  // A require by name at first use (an import would load it with this file).
  return require('pg') as typeof Pg;
}

/** Pool sizing and timeouts; the defaults are acme-dns v2-master's (its #425, #428). */
export interface PostgresPoolOptions {
  /** Connections at most (acme-dns: 10). */
  readonly max?: number;
  /** An idle connection is closed after this long (acme-dns: 1 min). */
  readonly idleTimeoutMs?: number;
  /** Connecting, or waiting for a free connection, gives up after this long. */
  readonly connectionTimeoutMs?: number;
  /** Bound on one read statement (the DNS path; acme-dns: 5 s). */
  readonly readTimeoutMs?: number;
  /** Bound on one write statement (acme-dns: 20 s); also the server-side statement_timeout. */
  readonly writeTimeoutMs?: number;
  /** Connections are replaced after this many seconds (acme-dns: 5 min), so a failover is picked up. */
  readonly maxLifetimeSeconds?: number;
}

/** A statement: text, plus a name when it is worth preparing once per connection (the hot ones). */
export type Statement = Pick<QueryConfig, 'text' | 'name'>;

/** Runs statements inside one open transaction. */
export type TxQuery = <R extends QueryResultRow>(statement: Statement, values?: unknown[]) => Promise<QueryResult<R>>;

/** The pool as the store uses it: every failure comes out as a typed store error. */
export interface PgDb {
  /** One statement on any connection, bounded by the read or write timeout. */
  query<R extends QueryResultRow>(kind: 'read' | 'write', statement: Statement, values?: unknown[]): Promise<QueryResult<R>>;
  /** BEGIN, fn, COMMIT on one connection; any failure discards the connection (the server rolls back). */
  transaction<T>(fn: (q: TxQuery) => Promise<T>, timeoutMs?: number): Promise<T>;
  /** Closes every connection; idempotent. */
  end(): Promise<void>;
}

// pg honours a per-query client-side timeout; its type definitions do not list the field.
type TimedQuery = QueryConfig & { query_timeout: number };

/** Creates the pool; connections are made lazily, so this never fails for an unreachable server. */
export function createPgDb(client: ClientConfig, options: PostgresPoolOptions, where: string, logger?: Logger): PgDb {
  const readTimeoutMs = options.readTimeoutMs ?? 5000;
  const writeTimeoutMs = options.writeTimeoutMs ?? 20000;
  const secret = typeof client.password === 'string' ? client.password : undefined;
  const pool = new (loadPg().Pool)({
    ...client,
    max: options.max ?? 10,
    idleTimeoutMillis: options.idleTimeoutMs ?? 60000,
    connectionTimeoutMillis: client.connectionTimeoutMillis ?? options.connectionTimeoutMs ?? 5000,
    maxLifetimeSeconds: options.maxLifetimeSeconds ?? 300,
    keepAlive: true,
    // The server cancels what the client stopped waiting for, and drops sessions left in a transaction.
    statement_timeout: writeTimeoutMs,
    idle_in_transaction_session_timeout: writeTimeoutMs * 2,
  });
  // An idle connection dropped by a restarting server is reported here; unhandled, it would kill
  // the process. The pool has already discarded it and will connect anew on demand.
  pool.on('error', (err) => logger?.warn({ where, error: scrub(err.message, secret) }, 'postgres connection lost'));
  let ended: Promise<void> | undefined;

  const run = async <R extends QueryResultRow>(
    on: Pool | PoolClient,
    statement: Statement,
    values: unknown[] | undefined,
    timeoutMs: number,
  ): Promise<QueryResult<R>> => {
    const config: TimedQuery = { ...statement, values, query_timeout: timeoutMs };
    return on.query<R>(config);
  };

  return {
    async query(kind, statement, values) {
      try {
        return await run(pool, statement, values, kind === 'read' ? readTimeoutMs : writeTimeoutMs);
      } catch (err) {
        throw toStoreError(err, where, secret);
      }
    },
    async transaction(fn, timeoutMs = writeTimeoutMs) {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw toStoreError(err, where, secret);
      }
      // Between two statements no query is active, so a dropped connection would surface as an
      // 'error' event on the client; the pool only listens while the client is idle.
      const onError = (): void => undefined;
      client.on('error', onError);
      let failed = false;
      // Driver errors become store errors here; errors of fn's own pass through unchanged.
      const q: TxQuery = async (statement, values) => {
        try {
          return await run(client, statement, values, timeoutMs);
        } catch (err) {
          throw toStoreError(err, where, secret);
        }
      };
      try {
        await q({ text: 'BEGIN' });
        const result = await fn(q);
        await q({ text: 'COMMIT' });
        return result;
      } catch (err) {
        failed = true;
        throw err;
      } finally {
        client.off('error', onError);
        // Releasing with an error closes the connection: no ROLLBACK round trip to a server that may be gone.
        client.release(failed);
      }
    },
    async end() {
      ended ??= pool.end();
      await ended;
    },
  };
}
