/**
 * The filter of account names in the DNS reads, over a real SQLite file, its statements traced:
 * a name without an account costs no SQL statement, and every account committed by another
 * connection (another process: `acmedns accounts`, an import, a second instance) is found by the
 * next lookup, rowids reused after the newest accounts were deleted and a restored file included.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../index';
import { accountFilter } from './account-filter';
import { openSqliteDatabase } from './open';
import { sqliteReads, type SqliteReads } from './reads';
import { READ_SQL } from './sql';

let dir: string;
let file: string;
let db: Database.Database;
let other: Database.Database;
let reads: SqliteReads;
const traced: string[] = [];
const ACCOUNT_READ = READ_SQL.accountValues.split('?')[0] as string;

function addAccount(conn: Database.Database, key: string): number {
  const sql = 'INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, created_at) VALUES (?, ?, ?, ?, 0)';
  return Number(conn.prepare(sql).run(key, 'h', key, key).lastInsertRowid);
}

/** A lookup as a DNS query makes it: the change check, then the read. */
function lookup(key: string): unknown {
  reads.validate();
  return reads.lookup(key, 100);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-filter-'));
  file = path.join(dir, 'store.db');
  const setup = openSqliteDatabase(file);
  for (const key of ['real', 'second', 'third']) addAccount(setup, key);
  setup.close();
  db = new Database(file, { verbose: (sql) => traced.push(String(sql)) });
  other = new Database(file);
  other.pragma('busy_timeout = 5000');
  reads = sqliteReads(db, file, 2, 0);
  // The first lookup builds the filter.
  expect(lookup('real')).toEqual({ values: [] });
  traced.length = 0;
});
afterEach(() => {
  reads.close();
  other.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('names without an account (a random-subdomain flood) are answered without a SQL statement', () => {
  for (let i = 0; i < 1000; i++) expect(lookup(`nx-${i.toString(16).padStart(16, '0')}`)).toBeUndefined();
  expect(traced).toEqual([]);
  // The accounts are still found (through SQLite: the filter only says "maybe").
  for (const key of ['second', 'third']) expect(lookup(key)).toEqual({ values: [] });
  expect(traced).toEqual([`${ACCOUNT_READ}'second'`, `${ACCOUNT_READ}'third'`]);
});

test('an account another connection created is found by the next lookup', () => {
  expect(lookup('later')).toBeUndefined();
  addAccount(other, 'later');
  expect(lookup('later')).toEqual({ values: [] });
});

test('accounts given the rowids of deleted newest accounts are found (the reuse counter)', () => {
  expect(lookup('fourth')).toBeUndefined();
  expect(lookup('fifth')).toBeUndefined();
  // The two newest go; SQLite gives max(rowid) + 1, so the next two take their rowids again.
  other.prepare("DELETE FROM accounts WHERE subdomain_key IN ('second', 'third')").run();
  expect([addAccount(other, 'fourth'), addAccount(other, 'fifth')]).toEqual([2, 3]);
  expect(lookup('fourth')).toEqual({ values: [] });
  expect(lookup('fifth')).toEqual({ values: [] });
  expect(lookup('third')).toBeUndefined();
});

test('a rowid reused between two checks, with newer rows added after it, is found', () => {
  expect(lookup('reuse')).toBeUndefined();
  other.prepare("DELETE FROM accounts WHERE subdomain_key = 'third'").run();
  expect(addAccount(other, 'reuse')).toBe(3);
  expect(addAccount(other, 'newer')).toBe(4);
  expect(lookup('newer')).toEqual({ values: [] });
  expect(lookup('reuse')).toEqual({ values: [] });
});

test('a renamed account is found under its new name', () => {
  expect(lookup('renamed')).toBeUndefined();
  other.prepare("UPDATE accounts SET subdomain_key = 'renamed' WHERE subdomain_key = 'second'").run();
  expect(lookup('renamed')).toEqual({ values: [] });
});

test('a bulk import by another store on the file is found', async () => {
  const importer = openSqliteStore({ file, txt: { keep: 2, maxAgeSeconds: 0 }, zone: 'auth.example.org' });
  const subs = Array.from({ length: 6000 }, (_, i) => `imported-${i}`);
  expect(lookup(subs[0] as string)).toBeUndefined();
  try {
    const entries = subs.map((sub) => ({ account: { username: sub, passwordHash: 'h', subdomain: sub, allowFrom: [] }, values: [{ value: 'v', updatedAt: 100 }] }));
    await importer.importAccounts(entries.slice(0, 3000));
    expect(lookup(subs[2999] as string)).toEqual({ values: ['v'] });
    // 6,000 accounts pass the smallest filter's 4,096 (then rebuilt bigger).
    await importer.importAccounts(entries.slice(3000));
  } finally {
    await importer.close();
  }
  for (const sub of subs) expect(lookup(sub)).toEqual({ values: ['v'] });
});

test('a deleted account left in the filter (a false positive) is answered from SQLite: no account', () => {
  other.prepare("DELETE FROM accounts WHERE subdomain_key = 'second'").run();
  expect(lookup('second')).toBeUndefined();
  expect(traced.filter((sql) => sql.startsWith(ACCOUNT_READ))).toEqual([`${ACCOUNT_READ}'second'`]);
});

test('another database restored into the file (same rowids, other names) is read anew', async () => {
  const sourceFile = path.join(dir, 'backup.db');
  const source = openSqliteDatabase(sourceFile);
  for (const key of ['r1', 'r2', 'r3']) addAccount(source, key);
  // The SQLite backup API writing into the live file, as the sqlite3 shell's .restore does.
  await source.backup(file);
  source.close();
  expect(lookup('r2')).toEqual({ values: [] });
  expect(lookup('second')).toBeUndefined();
});

test('an older copy of the database restored into the file, then an account created, is read anew', async () => {
  const copyFile = path.join(dir, 'copy.db');
  await other.backup(copyFile);
  addAccount(other, 'after-copy-1');
  addAccount(other, 'after-copy-2');
  expect(lookup('after-copy-2')).toEqual({ values: [] });
  const copy = new Database(copyFile);
  await copy.backup(file);
  copy.close();
  // The copy's rowids end at 3: this account takes 4, below what the filter had read (5).
  expect(addAccount(other, 'after-restore')).toBe(4);
  expect(lookup('after-restore')).toEqual({ values: [] });
  expect(lookup('after-copy-2')).toBeUndefined();
});

test('the filter grows (a rebuild) when the accounts outgrow it, and holds ~10 bits per account', () => {
  const names = accountFilter(db);
  names.refresh();
  const small = names.bytes();
  // The smallest filter: 4,096 names at 10 bits.
  expect(small).toBe(5120);
  other.transaction(() => {
    for (let i = 0; i < 8000; i++) addAccount(other, `grown-${i}`);
  })();
  names.refresh();
  // 8,003 accounts with a quarter to spare, at 10 bits each, in 64-byte blocks.
  expect(names.bytes()).toBe(Math.ceil((Math.ceil(8003 * 1.25) * 10) / 512) * 64);
  for (let i = 0; i < 8000; i++) expect(names.mayHave(`grown-${i}`)).toBe(true);
});
