import fs from 'node:fs';
import Database from 'better-sqlite3';
import { AcmeDnsSourceError, checkAcmeDnsSchema } from './errors';
import { mergeJoin, type RecordRow, type TxtRow } from './merge';
import { SOURCE_SQL } from './sql';
import type { AcmeDnsSource, CaseCollision, SourceRow } from './types';

/** SQLite's answer to a file that is something else (SQLITE_NOTADB), or a damaged one. */
const NOT_SQLITE = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

function describeOpenError(file: string, err: unknown): AcmeDnsSourceError {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === 'string' && NOT_SQLITE.has(code)) {
    return new AcmeDnsSourceError(`${file} is not a SQLite database (${message}): not an acme-dns database`, { cause: err });
  }
  return new AcmeDnsSourceError(`cannot read ${file}: ${message}`, { cause: err });
}

/**
 * Opens an acme-dns SQLite file read-only (the import never writes to it) and checks it is one.
 * All reads happen in one read transaction, so they see one state of the file.
 */
export function openSqliteSource(file: string): AcmeDnsSource {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new AcmeDnsSourceError(code === 'ENOENT' ? `${file}: no such file` : `cannot read ${file}: ${(err as Error).message}`);
  }
  if (!stat.isFile()) throw new AcmeDnsSourceError(`${file} is not a file`);

  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw describeOpenError(file, err);
  }
  let dbVersion: string;
  try {
    db.exec('BEGIN');
    const tables = new Set(
      (db.prepare("SELECT lower(name) FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]),
    );
    const columns = (table: string): Set<string> =>
      new Set((db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name.toLowerCase()));
    const version = tables.has('acmedns')
      ? (db.prepare(SOURCE_SQL.dbVersion).pluck().get() as unknown)
      : undefined;
    const versionText = version === undefined || version === null ? undefined : String(version);
    checkAcmeDnsSchema(file, tables, columns, versionText);
    dbVersion = versionText ?? '';
  } catch (err) {
    db.close();
    throw err instanceof AcmeDnsSourceError ? err : describeOpenError(file, err);
  }

  const count = (sql: string): number => Number(db.prepare(sql).pluck().get());
  return {
    where: file,
    engine: 'sqlite',
    dbVersion,
    async stats() {
      return { accounts: count(SOURCE_SQL.countAccounts), values: count(SOURCE_SQL.countValues) };
    },
    async caseCollisions() {
      const rows = db.prepare(SOURCE_SQL.caseCollisions).all() as { username: unknown; subdomain: unknown }[];
      return rows.flatMap((r): CaseCollision[] =>
        typeof r.username === 'string' && typeof r.subdomain === 'string' ? [{ username: r.username, subdomain: r.subdomain }] : [],
      );
    },
    async *rows(size) {
      // better-sqlite3 steps a statement as we pull, and a connection runs one statement at a
      // time: the txt side of the merge gets a second read-only connection.
      const utf8 = db.pragma('encoding', { simple: true }) === 'UTF-8';
      const txtDb = utf8 ? new Database(file, { readonly: true, fileMustExist: true }) : undefined;
      const joined = txtDb
        ? mergeJoin(
            db.prepare(SOURCE_SQL.recordsBySubdomain).iterate() as IterableIterator<RecordRow>,
            txtDb.prepare(SOURCE_SQL.txtBySubdomain).iterate() as IterableIterator<TxtRow>,
          )
        : (db.prepare(SOURCE_SQL.rows).iterate() as IterableIterator<SourceRow>);
      try {
        let batch: SourceRow[] = [];
        for (const row of joined) {
          batch.push(row);
          if (batch.length >= size) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) yield batch;
      } finally {
        joined.return?.(undefined);
        txtDb?.close();
      }
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
