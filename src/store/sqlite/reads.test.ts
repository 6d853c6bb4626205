/**
 * The DNS reads over a real SQLite file, their statements traced (better-sqlite3 `verbose`): which
 * reads reach SQLite, and that the per-query change check on a WAL file runs no statement.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readMigrations } from '../migrations';
import { sqlAccounts } from './account-source';
import { accountSync } from './account-sync';
import { openSqliteDatabase } from './open';
import { sqliteReads } from './reads';
import { READ_SQL } from './sql';

let dir: string;
let file: string;
let db: Database.Database;
const traced: string[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-reads-'));
  file = path.join(dir, 'store.db');
  const setup = openSqliteDatabase(file);
  setup.prepare("INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, created_at) VALUES ('u', 'h', 'real', 'real', 0)").run();
  setup.prepare("INSERT INTO txt_values (subdomain_key, value, updated_at) VALUES ('real', 'v', 10)").run();
  setup.close();
  traced.length = 0;
  db = new Database(file, { verbose: (sql) => traced.push(String(sql)) });
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a WAL file: the change check runs no SQL statement (the WAL-index header is read)', () => {
  const reads = sqliteReads(db, file, 2, 0);
  traced.length = 0;
  for (let i = 0; i < 5; i++) reads.validate();
  expect(traced).toEqual([]);
  reads.close();
});

test('in memory: the two counters are the check', () => {
  const mem = new Database(':memory:', { verbose: (sql) => traced.push(String(sql)) });
  for (const m of readMigrations('sqlite')) mem.exec(m.sql);
  const reads = sqliteReads(mem, ':memory:', 2, 0);
  traced.length = 0;
  reads.validate();
  expect(traced).toEqual([READ_SQL.dataVersion, READ_SQL.ownChanges]);
  mem.close();
});

test('after the build, accounts and names without one are answered without a SQL statement', async () => {
  const accounts = accountSync(db, 2);
  const reads = sqliteReads(db, file, 2, 0, accounts);
  reads.validate();
  expect(reads.lookup('real', 100)).toEqual({ values: ['v'] });
  // The values load in the background (account-sync.ts).
  while (accounts.isLoading()) await new Promise((resolve) => setTimeout(resolve, 5));
  traced.length = 0;
  for (let i = 0; i < 1000; i++) expect(reads.lookup(`nx-${i}`, 100)).toBeUndefined();
  expect(reads.lookup('real', 100)).toEqual({ values: ['v'] });
  expect(traced).toEqual([]);
  reads.close();
});

test('values older than the age limit are not served, the newer ones are', () => {
  const other = new Database(file);
  other.prepare("INSERT INTO txt_values (subdomain_key, value, updated_at) VALUES ('real', 'newer', 50)").run();
  other.close();
  const reads = sqliteReads(db, file, 2, 30);
  reads.validate();
  expect(reads.lookup('real', 40)).toEqual({ values: ['newer', 'v'] });
  expect(reads.lookup('real', 60)).toEqual({ values: ['newer'] });
  expect(reads.lookup('real', 100)).toEqual({ values: [] });
  reads.close();
});

test('one answer epoch for every second before the first value ages out, the second itself from then on; a commit plans anew', () => {
  // 'v' (updated at 10) is served up to second 40 with a 30 s age limit.
  const reads = sqliteReads(db, file, 2, 30);
  reads.validate();
  const before = reads.answerEpoch(12);
  expect(reads.answerEpoch(40)).toBe(before);
  expect(reads.lookup('real', 40)).toEqual({ values: ['v'] });
  expect(reads.answerEpoch(41)).not.toBe(before);
  expect(reads.lookup('real', 41)).toEqual({ values: [] });
  expect(reads.answerEpoch(41)).toBe(41);
  expect(reads.answerEpoch(42)).toBe(42);
  const other = new Database(file);
  other.prepare("INSERT INTO challenges (name, value, expires_at) VALUES ('_acme-challenge.auth.example.org', 'c', 20)").run();
  other.prepare("DELETE FROM txt_values WHERE updated_at = 10").run();
  other.close();
  reads.validate();
  // Now the challenge, served up to second 20, ages out first.
  expect(reads.answerEpoch(19)).toBe(reads.answerEpoch(20));
  expect(reads.answerEpoch(21)).toBe(21);
  reads.close();
  // Without an age limit and without challenges nothing ever ages: one epoch for every second.
  const foreverDb = new Database(file);
  const forever = sqliteReads(foreverDb, file, 2, 0);
  forever.validate();
  const other2 = new Database(file);
  other2.prepare('DELETE FROM challenges').run();
  other2.close();
  forever.validate();
  expect(forever.answerEpoch(10)).toBe(forever.answerEpoch(2_000_000_000));
  forever.close();
  foreverDb.close();
});

test('a commit empties the cache: the next read goes to SQLite and sees it', () => {
  const reads = sqliteReads(db, file, 2, 0);
  reads.validate();
  expect(reads.lookup('nobody', 100)).toBeUndefined();
  const other = new Database(file);
  other.prepare("INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, created_at) VALUES ('n', 'h', 'nobody', 'nobody', 0)").run();
  other.close();
  reads.validate();
  expect(reads.lookup('nobody', 100)).toEqual({ values: [] });
  reads.close();
});

test('without the index (a process that answers no DNS): each read is one indexed statement, never a scan of every account', () => {
  const other = new Database(file);
  other.prepare("INSERT INTO txt_values (subdomain_key, value, updated_at) VALUES ('real', 'newer', 50), ('real', 'newest', 60)").run();
  other.prepare("INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, created_at) VALUES ('e', 'h', 'empty', 'empty', 0)").run();
  const reads = sqliteReads(db, file, 2, 30, sqlAccounts(db, 2));
  traced.length = 0;
  reads.validate();
  // The newest `keep` (2) first, then the age limit: as the index answers.
  expect(reads.lookup('real', 70)).toEqual({ values: ['newest', 'newer'] });
  expect(reads.lookup('real', 85)).toEqual({ values: ['newest'] });
  expect(reads.lookup('empty', 70)).toEqual({ values: [] });
  expect(reads.lookup('nobody', 70)).toBeUndefined();
  // A commit by another connection is read at once.
  other.prepare("INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, created_at) VALUES ('n', 'h', 'nobody', 'nobody', 0)").run();
  other.close();
  reads.validate();
  expect(reads.lookup('nobody', 70)).toEqual({ values: [] });
  // Traced with the parameters filled in: every statement but the change check names one account.
  const named = (sql: string, key: string): string => sql.replace('?', `'${key}'`);
  const perAccount = ['real', 'empty', 'nobody'].map((k) => named(READ_SQL.accountValues, k));
  const statements = new Set(traced.filter((sql) => !sql.startsWith('PRAGMA') && !sql.startsWith('SELECT total_changes')));
  expect(statements).toEqual(new Set(perAccount));
  reads.close();
});
