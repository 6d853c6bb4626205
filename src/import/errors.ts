/** Why an `--from` source cannot be imported; the message says what it is and what to do. */
export class AcmeDnsSourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AcmeDnsSourceError';
  }
}

/** The db_version this importer reads: acme-dns's DBVersion since v0.3 (db.go), unchanged in v2. */
export const SUPPORTED_DB_VERSION = '1';

/** Columns acme-dns's code reads (db.go); extra ones (v0's Value, LastActive) are ignored. */
export const REQUIRED_COLUMNS: Readonly<Record<'records' | 'txt', readonly string[]>> = {
  records: ['username', 'password', 'subdomain', 'allowfrom'],
  txt: ['subdomain', 'value', 'lastupdate'],
};

/**
 * Refuses what acme-dns itself would not run on as version 1: `tables` are the lower-cased table
 * names present, `columns(table)` its lower-cased column names, `version` the db_version row (undefined
 * when there is none: acme-dns treats that as version 0).
 */
export function checkAcmeDnsSchema(
  where: string,
  tables: ReadonlySet<string>,
  columns: (table: 'records' | 'txt') => ReadonlySet<string>,
  version: string | undefined,
): void {
  if (!tables.has('records')) {
    if (tables.has('accounts') && tables.has('schema_migrations')) {
      throw new AcmeDnsSourceError(`${where} is an acmedns database already, not an acme-dns one: nothing to import`);
    }
    throw new AcmeDnsSourceError(`${where} has no table records: not an acme-dns database`);
  }
  if (version === undefined || version === '0') {
    throw new AcmeDnsSourceError(
      `${where} is an acme-dns version 0 database (acme-dns v0.1/v0.2): run acme-dns v0.3 or later on it ` +
        'once, which upgrades it to version 1, then import it',
    );
  }
  if (version !== SUPPORTED_DB_VERSION) {
    throw new AcmeDnsSourceError(
      `${where} has acme-dns db_version "${version}"; this importer reads version ${SUPPORTED_DB_VERSION} ` +
        '(acme-dns v0.3 to v2)',
    );
  }
  for (const table of ['records', 'txt'] as const) {
    if (!tables.has(table)) throw new AcmeDnsSourceError(`${where} has no table ${table}: not an acme-dns database`);
    const present = columns(table);
    const missing = REQUIRED_COLUMNS[table].filter((c) => !present.has(c));
    if (missing.length > 0) {
      throw new AcmeDnsSourceError(
        `${where}: table ${table} has no column ${missing.join(', ')}: not an acme-dns database`,
      );
    }
  }
}
