import fs from 'node:fs';
import { openPostgresSource } from './postgres';
import { AcmeDnsSourceError } from './errors';
import { openSqliteSource } from './sqlite';
import type { AcmeDnsSource } from './types';

export type { AcmeDnsSource, CaseCollision, SourceAccount, SourceRow, SourceStats, SourceTxt } from './types';
export { AcmeDnsSourceError, SUPPORTED_DB_VERSION } from './errors';
export {
  convertAccount,
  resolveCaseCollisions,
  LOCKED_ALLOWFROM,
  type Converted,
  type ConvertContext,
  type ImportIssue,
  type IssueKind,
  type ValueCounts,
} from './convert';
export { groupAccounts } from './group';
export { openSqliteSource } from './sqlite';
export { openPostgresSource } from './postgres';
export { importFromSource, type ImportOptions, type ImportReport } from './run';

/**
 * True when `from` names a PostgreSQL database: a postgres:// URL, or (when no such file exists)
 * a lib/pq key=value DSN such as `host=db dbname=acmedns`, the two forms acme-dns's config takes.
 */
export function isPostgresSource(from: string): boolean {
  if (/^postgres(ql)?:\/\//i.test(from.trim())) return true;
  return !fs.existsSync(from) && /^\s*[A-Za-z_]+\s*=/.test(from);
}

/**
 * True when `from` is no file and does not parse as a connection string but looks like one was
 * meant (`postgres:/…`, `user:pw@host`, `pass word=x`): such text may hold a password, so no
 * message may echo it as a file name.
 */
function looksLikeConnection(from: string): boolean {
  return !fs.existsSync(from) && /[=@]|^[A-Za-z][A-Za-z0-9+.-]*:\//.test(from);
}

/** Opens what `--from` names: an acme-dns SQLite file or PostgreSQL database. */
export async function openAcmeDnsSource(from: string): Promise<AcmeDnsSource> {
  if (isPostgresSource(from)) return openPostgresSource(from);
  if (looksLikeConnection(from)) {
    throw new AcmeDnsSourceError(
      '--from is no file, nor a postgres:// URL or key=value DSN (host=... dbname=...); it is not shown, as it may hold a password',
    );
  }
  return openSqliteSource(from);
}
