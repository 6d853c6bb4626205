import path from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile, ensurePrivateDirectory, openToOthers } from '../../log/private-file';
import { AcmeDnsDatabaseError, readMigrations } from '../migrations';
import { MIGRATION_SQL } from './sql';

/** Names SQLite gives no file: an in-memory and a private temporary database. */
const NO_FILE = new Set([':memory:', '']);

/**
 * Opens (creating the folder and file if needed) a SQLite database and brings its schema up to
 * date. WAL lets DNS reads run while an update commits; synchronous=FULL makes an acknowledged
 * update survive a crash of the process or the machine. The database holds bcrypt hashes and
 * private keys: a new folder is 0700 and a new file 0600 whatever the umask, and the -wal and
 * -shm files SQLite creates copy the database file's mode (unix VFS, robust_open). Modes that let
 * others in on existing files are not changed but reported through `warn`, once each.
 */
export function openSqliteDatabase(file: string, warn: (message: string) => void = () => undefined): Database.Database {
  const onDisk = !NO_FILE.has(file);
  if (onDisk) {
    const folder = ensurePrivateDirectory(path.dirname(path.resolve(file)));
    if (folder !== undefined) warn(`database folder ${folder}`);
    createPrivateFile(file);
  }
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    refuseAcmeDnsDatabase(db, file);
    migrate(db);
    // After the migrations, so the -wal and -shm files exist and are checked too.
    const open = onDisk ? openToOthers([file, `${file}-wal`, `${file}-shm`]) : [];
    if (open.length > 0) {
      warn(`database files readable or writable by other users: ${open.join(', ')}; they hold password hashes and private keys: chmod 600 them`);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare(MIGRATION_SQL.tableExists).get(name) !== undefined;
}

function refuseAcmeDnsDatabase(db: Database.Database, file: string): void {
  if (!tableExists(db, 'schema_migrations') && tableExists(db, 'records') && tableExists(db, 'acmedns')) {
    throw new AcmeDnsDatabaseError(file);
  }
}

/** Runs the numbered migrations not yet applied, each in its own transaction. */
function migrate(db: Database.Database): void {
  db.exec(MIGRATION_SQL.createTable);
  const applied = new Set(db.prepare(MIGRATION_SQL.appliedVersions).pluck().all() as number[]);
  const record = db.prepare(MIGRATION_SQL.record);
  for (const m of readMigrations('sqlite')) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, Math.floor(Date.now() / 1000));
    })();
  }
}
