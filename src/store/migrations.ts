import fs from 'node:fs';
import path from 'node:path';

/**
 * A store file that belongs to acme-dns, not to us: the operator should import it instead. Both
 * engines check for acme-dns's tables before migrating, so an acme-dns database is never served empty.
 */
export class AcmeDnsDatabaseError extends Error {
  constructor(file: string) {
    super(
      `${file} is an acme-dns database, not an acmedns one: point database.connection at a new file, ` +
        `then import it with "acmedns import --from ${file} -c <config>"`,
    );
    this.name = 'AcmeDnsDatabaseError';
  }
}

/** One numbered SQL migration file (`NNN_description.sql`). */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The migrations folder of a dialect: `<repo>/migrations/<dialect>` (from src/store and dist/store alike). */
export function migrationsDir(dialect: 'sqlite' | 'postgres'): string {
  return path.resolve(__dirname, '..', '..', 'migrations', dialect);
}

/** Reads a dialect's migrations in version order; a gap or a duplicate number is a packaging bug. */
export function readMigrations(dialect: 'sqlite' | 'postgres'): Migration[] {
  const dir = migrationsDir(dialect);
  const migrations = fs
    .readdirSync(dir)
    .filter((f) => /^\d+_[\w-]+\.sql$/.test(f))
    .map((f) => ({ version: Number.parseInt(f, 10), name: f, sql: fs.readFileSync(path.join(dir, f), 'utf8') }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations/${dialect}: expected version ${i + 1}, found ${m.name}`);
  });
  return migrations;
}
