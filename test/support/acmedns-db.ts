/**
 * acme-dns databases as acme-dns itself writes them (joohoi/acme-dns db.go, identical in v2's
 * pkg/database/db.go; reference §6): its exact DDL for each engine, the bcrypt hash bound as Go
 * []byte (a BLOB in SQLite), allowfrom as JSON, two txt rows per account made empty with
 * LastUpdate 0 at registration and overwritten oldest-first by /update.
 */
import crypto from 'node:crypto';
import bcrypt from 'bcrypt';
import Database from 'better-sqlite3';
import { Client } from 'pg';

/** acme-dns's password alphabet (util.go generatePassword). */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz1234567890-_';
/** bcrypt's own base64 alphabet, for the fake hashes that make volume. */
const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** One txt row as acme-dns stores it. */
export interface AcmeDnsTxtRow {
  readonly value: string;
  readonly lastUpdate: number;
}

/** One acme-dns account; `password` is known only for accounts made with a real hash. */
export interface AcmeDnsAccount {
  readonly username: string;
  readonly password?: string;
  readonly hash: string;
  readonly subdomain: string;
  /** The AllowFrom column as stored (JSON text), or null. */
  readonly allowfrom: string | null;
  readonly txt: readonly AcmeDnsTxtRow[];
}

/** A 40-character key from acme-dns's alphabet, as /register hands out. */
export function acmeDnsPassword(): string {
  return [...crypto.randomBytes(40)].map((b) => ALPHABET[b & 63]).join('');
}

/** A random 43-character TXT value, as an ACME client posts. */
export function randomTxt(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** The two rows of a registered account: one updated at `at` with `value` (if given), one never. */
export function txtRows(value?: string, at = Math.floor(Date.now() / 1000) - 60): AcmeDnsTxtRow[] {
  return [{ value: '', lastUpdate: 0 }, value === undefined ? { value: '', lastUpdate: 0 } : { value, lastUpdate: at }];
}

/** An account with a real bcrypt cost-10 hash (about 70 ms each: make few). */
export async function realAccount(allowfrom = '[]', txt: AcmeDnsTxtRow[] = txtRows()): Promise<AcmeDnsAccount> {
  const password = acmeDnsPassword();
  // Go's bcrypt writes $2a$, cost 10.
  const hash = await bcrypt.hash(password, await bcrypt.genSalt(10, 'a'));
  return { username: crypto.randomUUID(), password, hash, subdomain: crypto.randomUUID(), allowfrom, txt };
}

/**
 * `count` accounts for volume: records.Password is UNIQUE, so each gets a distinct, well-formed
 * but unmatchable `$2a$10$` hash (a real one with its tail replaced by the index).
 */
export function volumeAccounts(count: number, base: string, txt: (i: number) => AcmeDnsTxtRow[]): AcmeDnsAccount[] {
  const out: AcmeDnsAccount[] = [];
  for (let i = 0; i < count; i += 1) {
    let tail = '';
    for (let n = i, k = 0; k < 6; k += 1, n = Math.floor(n / 64)) tail += BCRYPT_ALPHABET[n % 64];
    out.push({
      username: crypto.randomUUID(),
      hash: base.slice(0, base.length - 6) + tail,
      subdomain: crypto.randomUUID(),
      allowfrom: '[]',
      txt: txt(i),
    });
  }
  return out;
}

/** The v1 tables, exactly as acme-dns creates them (db.go acmeTable, userTable, txtTable). */
const SQLITE_DDL = `
  CREATE TABLE IF NOT EXISTS acmedns(
    Name TEXT,
    Value TEXT
  );
  CREATE TABLE IF NOT EXISTS records(
        Username TEXT UNIQUE NOT NULL PRIMARY KEY,
        Password TEXT UNIQUE NOT NULL,
        Subdomain TEXT UNIQUE NOT NULL,
    AllowFrom TEXT
    );
  CREATE TABLE IF NOT EXISTS txt(
    Subdomain TEXT NOT NULL,
    Value   TEXT NOT NULL DEFAULT '',
    LastUpdate INT
  );`;

/**
 * A v0 file (acme-dns v0.1/v0.2) upgraded to v1 by a later acme-dns: records keeps the dead
 * Value/LastActive columns, because SQLite could not drop columns (handleDBUpgradeTo1).
 */
const SQLITE_V0_RECORDS = `
  CREATE TABLE IF NOT EXISTS records(
        Username TEXT UNIQUE NOT NULL PRIMARY KEY,
        Password TEXT UNIQUE NOT NULL,
        Subdomain TEXT UNIQUE NOT NULL,
        Value   TEXT,
        LastActive INT,
    AllowFrom TEXT
    );`;

/** Options for writing a SQLite acme-dns file. */
export interface SqliteFixtureOptions {
  /** records made by v0 and upgraded (extra columns holding stale junk). */
  readonly legacyV0?: boolean;
  /** db_version row; `null` leaves the acmedns table empty. Default '1'. */
  readonly dbVersion?: string | null;
  /** Extra txt rows for subdomains no account has. */
  readonly orphanTxt?: readonly AcmeDnsTxtRow[];
}

/** Writes an acme-dns SQLite file; hashes go in as BLOBs, as Go binds []byte. */
export function writeAcmeDnsSqlite(file: string, accounts: readonly AcmeDnsAccount[], options: SqliteFixtureOptions = {}): void {
  const db = new Database(file);
  try {
    if (options.legacyV0) db.exec(SQLITE_V0_RECORDS);
    db.exec(SQLITE_DDL);
    const version = options.dbVersion === undefined ? '1' : options.dbVersion;
    if (version !== null) db.prepare("INSERT INTO acmedns (Name, Value) values('db_version', ?)").run(version);
    const insert = options.legacyV0
      ? db.prepare('INSERT INTO records(Username, Password, Subdomain, AllowFrom, Value, LastActive) values(?, ?, ?, ?, ?, ?)')
      : db.prepare('INSERT INTO records(Username, Password, Subdomain, AllowFrom) values(?, ?, ?, ?)');
    const insertTxt = db.prepare('INSERT INTO txt (Subdomain, Value, LastUpdate) values(?, ?, ?)');
    db.transaction(() => {
      for (const a of accounts) {
        const params: unknown[] = [a.username, Buffer.from(a.hash), a.subdomain, a.allowfrom];
        if (options.legacyV0) params.push(randomTxt(), 1500000000);
        insert.run(...params);
        for (const t of a.txt) insertTxt.run(a.subdomain, t.value, t.lastUpdate);
      }
      for (const t of options.orphanTxt ?? []) insertTxt.run(crypto.randomUUID(), t.value, t.lastUpdate);
    })();
  } finally {
    db.close();
  }
}

/** Writes acme-dns's PostgreSQL tables (unquoted names: lower case there) and rows into `url`. */
export async function writeAcmeDnsPostgres(url: string, accounts: readonly AcmeDnsAccount[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      CREATE TABLE IF NOT EXISTS acmedns(
        Name TEXT,
        Value TEXT
      );
      CREATE TABLE IF NOT EXISTS records(
        Username TEXT UNIQUE NOT NULL PRIMARY KEY,
        Password TEXT UNIQUE NOT NULL,
        Subdomain TEXT UNIQUE NOT NULL,
        AllowFrom TEXT
      );
      CREATE TABLE IF NOT EXISTS txt(
        rowid SERIAL,
        Subdomain TEXT NOT NULL,
        Value   TEXT NOT NULL DEFAULT '',
        LastUpdate INT
      );
      INSERT INTO acmedns (Name, Value) values('db_version', '1');`);
    const chunk = 5000;
    for (let i = 0; i < accounts.length; i += chunk) {
      const part = accounts.slice(i, i + chunk);
      await client.query(
        'INSERT INTO records(Username, Password, Subdomain, AllowFrom) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])',
        [part.map((a) => a.username), part.map((a) => a.hash), part.map((a) => a.subdomain), part.map((a) => a.allowfrom)],
      );
      const rows = part.flatMap((a) => a.txt.map((t) => [a.subdomain, t.value, t.lastUpdate] as const));
      await client.query(
        'INSERT INTO txt (Subdomain, Value, LastUpdate) SELECT * FROM unnest($1::text[], $2::text[], $3::int[])',
        [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
      );
    }
  } finally {
    await client.end();
  }
}
