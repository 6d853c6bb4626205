import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readMigrations } from './migrations';

/** A store file that belongs to acme-dns, not to us: the operator should import it instead. */
export class AcmeDnsDatabaseError extends Error {
  constructor(file: string) {
    super(
      `${file} is an acme-dns database, not an acmedns one: point database.connection at a new file, ` +
        `then import it with "acmedns import --from ${file} -c <config>"`,
    );
    this.name = 'AcmeDnsDatabaseError';
  }
}

/**
 * Opens (creating the folder and file if needed) a SQLite database and brings its schema up to
 * date. WAL lets DNS reads run while an update commits; synchronous=FULL makes an acknowledged
 * update survive a crash of the process or the machine.
 */
export function openSqliteDatabase(file: string): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    refuseAcmeDnsDatabase(db, file);
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function refuseAcmeDnsDatabase(db: Database.Database, file: string): void {
  if (!tableExists(db, 'schema_migrations') && tableExists(db, 'records') && tableExists(db, 'acmedns')) {
    throw new AcmeDnsDatabaseError(file);
  }
}

/** Runs the numbered migrations not yet applied, each in its own transaction. */
function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[],
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  for (const m of readMigrations('sqlite')) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, Math.floor(Date.now() / 1000));
    })();
  }
}
