import fs from 'node:fs';
import { openPostgresSource } from './postgres';
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

/** Opens what `--from` names: an acme-dns SQLite file or PostgreSQL database. */
export async function openAcmeDnsSource(from: string): Promise<AcmeDnsSource> {
  return isPostgresSource(from) ? openPostgresSource(from) : openSqliteSource(from);
}
