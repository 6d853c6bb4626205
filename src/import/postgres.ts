import { ConfigError } from '../core/errors';
import { describeConnection, loadPg, parsePostgresConnection, scrub, toClientConfig } from '../store';
import { AcmeDnsSourceError, checkAcmeDnsSchema } from './errors';
import { SOURCE_SQL } from './sql';
import type { AcmeDnsSource, CaseCollision, SourceRow } from './types';

/** How long connecting may take when the connection string sets no connect_timeout. */
const CONNECT_TIMEOUT_MS = 10_000;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Opens acme-dns's PostgreSQL database (a URL or a lib/pq DSN, as its config.cfg has it) and
 * checks it is one. Everything is read in one REPEATABLE READ, READ ONLY transaction (one
 * snapshot, nothing written), the rows through a server-side cursor so memory stays flat.
 */
export async function openPostgresSource(connection: string): Promise<AcmeDnsSource> {
  let config;
  let where: string;
  try {
    const params = parsePostgresConnection(connection);
    where = describeConnection(params);
    config = toClientConfig(params);
  } catch (err) {
    if (err instanceof ConfigError) throw new AcmeDnsSourceError(err.message.replace(/^database\.connection/, '--from'));
    throw err;
  }
  const secret = typeof config.password === 'string' ? config.password : undefined;
  const fail = (what: string, err: unknown): AcmeDnsSourceError => {
    const code = (err as { code?: unknown }).code;
    const suffix = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? ` (${code})` : '';
    return new AcmeDnsSourceError(`${what} ${where}: ${scrub(messageOf(err), secret)}${suffix}`, { cause: err });
  };

  const client = new (loadPg().Client)({ ...config, connectionTimeoutMillis: config.connectionTimeoutMillis ?? CONNECT_TIMEOUT_MS });
  // A connection dropped between two statements is reported here; the next statement fails with it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw fail('cannot connect to', err);
  }

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await client.end().catch(() => undefined);
  };
  const query = async <R extends object>(text: string, values?: unknown[]): Promise<R[]> => {
    try {
      return (await client.query(text, values)).rows as R[];
    } catch (err) {
      throw fail('cannot read', err);
    }
  };

  let dbVersion: string;
  try {
    await query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const names = ['records', 'txt', 'acmedns'];
    const found = await query<{ name: string; oid: string | null }>(
      'SELECT n AS name, to_regclass(n)::oid::text AS oid FROM unnest($1::text[]) AS n',
      [names],
    );
    const tables = new Set(found.filter((t) => t.oid !== null).map((t) => t.name));
    const columns = new Map<string, Set<string>>();
    for (const t of ['records', 'txt'] as const) {
      if (!tables.has(t)) continue;
      const rows = await query<{ name: string }>(
        'SELECT lower(attname) AS name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped',
        [t],
      );
      columns.set(t, new Set(rows.map((r) => r.name)));
    }
    const version = tables.has('acmedns') ? (await query<{ value: unknown }>(SOURCE_SQL.dbVersion))[0]?.value : undefined;
    const versionText = version === undefined || version === null ? undefined : String(version);
    checkAcmeDnsSchema(where, tables, (t) => columns.get(t) ?? new Set(), versionText);
    dbVersion = versionText ?? '';
  } catch (err) {
    await close();
    throw err;
  }

  const count = async (sql: string): Promise<number> => Number((await query<{ n: unknown }>(sql))[0]?.n ?? 0);
  return {
    where,
    engine: 'postgres',
    dbVersion,
    async stats() {
      return { accounts: await count(SOURCE_SQL.countAccounts), values: await count(SOURCE_SQL.countValues) };
    },
    async caseCollisions() {
      const rows = await query<{ username: unknown; subdomain: unknown }>(SOURCE_SQL.caseCollisions);
      return rows.flatMap((r): CaseCollision[] =>
        typeof r.username === 'string' && typeof r.subdomain === 'string' ? [{ username: r.username, subdomain: r.subdomain }] : [],
      );
    },
    async *rows(size) {
      const fetchSize = Math.max(1, Math.floor(size));
      await query(`DECLARE acmedns_import NO SCROLL CURSOR FOR ${SOURCE_SQL.rows}`);
      try {
        for (;;) {
          const rows = await query<SourceRow>(`FETCH FORWARD ${fetchSize} FROM acmedns_import`);
          if (rows.length > 0) yield rows;
          if (rows.length < fetchSize) return;
        }
      } finally {
        if (!closed) await query('CLOSE acmedns_import').catch(() => undefined);
      }
    },
    close,
  };
}
