/**
 * The in-memory account index over a real SQLite file, written by another connection (as another
 * process would: `acmedns accounts`, an import, a second instance, the sqlite3 shell): every
 * commit is seen by the next lookup, through the log its triggers keep (007_dns_changes.sql), and
 * a log pruned past the reader or another database written into the file makes it rebuild.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../index';
import { openSqliteDatabase } from './open';
import { accountSync, type AccountSync } from './account-sync';
import { sqliteReads, type SqliteReads } from './reads';

const A = '0a6c2f43-7c1e-4b59-9d2b-1f0c3e5a7b90';
const B = 'b7e1d2c3-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

let dir: string;
let file: string;
let db: Database.Database;
let other: Database.Database;
let reads: SqliteReads;
let sync: AccountSync;
const traced: string[] = [];

function addAccount(conn: Database.Database, key: string): number {
  const sql = 'INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, created_at) VALUES (?, ?, ?, ?, 0)';
  return Number(conn.prepare(sql).run(key, 'h', key, key).lastInsertRowid);
}

function addValue(conn: Database.Database, key: string, value: string, at: number): void {
  conn.prepare('INSERT INTO txt_values (subdomain_key, value, updated_at) VALUES (?, ?, ?)').run(key, value, at);
}

/** Resolves once the sync's background read of values is done. */
async function loaded(of: AccountSync): Promise<void> {
  while (of.isLoading()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** What SQLite says the key's lookup must answer (keep 2, no age limit). */
function expected(key: string): unknown {
  if (other.prepare('SELECT 1 FROM accounts WHERE subdomain_key = ?').get(key) === undefined) return undefined;
  return { values: other.prepare('SELECT value FROM txt_values WHERE subdomain_key = ? ORDER BY updated_at DESC, id DESC LIMIT 2').pluck().all(key) };
}

/** A lookup as a DNS query makes it: the change check, then the read. */
function lookup(key: string): unknown {
  reads.validate();
  return reads.lookup(key, 1000);
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-index-'));
  file = path.join(dir, 'store.db');
  const setup = openSqliteDatabase(file);
  for (const key of [A, B, 'plain']) addAccount(setup, key);
  addValue(setup, A, 'a1', 10);
  addValue(setup, 'plain', 'p1', 10);
  setup.close();
  db = new Database(file, { verbose: (sql) => traced.push(String(sql)) });
  other = new Database(file);
  other.pragma('busy_timeout = 5000');
  sync = accountSync(db, 2);
  reads = sqliteReads(db, file, 2, 0, sync);
  // The first lookup builds the index: the names at once, the values in the background.
  expect(lookup(A)).toEqual({ values: ['a1'] });
  await loaded(sync);
  traced.length = 0;
});
afterEach(() => {
  reads.close();
  other.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the sync is an object of plain methods: no accessor, so V8 keeps it fast for the per-query calls', () => {
  // An object literal with a getter is built in dictionary mode, and every call on it from the DNS
  // path (absent, writeSole, get) is then a generic lookup (account-sync.ts).
  const accessors = Object.entries(Object.getOwnPropertyDescriptors(sync)).filter(([, d]) => d.get !== undefined || d.set !== undefined);
  expect(accessors.map(([name]) => name)).toEqual([]);
  for (const method of ['absent', 'writeSole', 'get', 'index', 'isLoading'] as const) expect(typeof sync[method]).toBe('function');
});

test('accounts and names without one are answered without a SQL statement once built', () => {
  for (let i = 0; i < 100; i++) expect(lookup(`${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`)).toBeUndefined();
  expect(lookup(B)).toEqual({ values: [] });
  expect(lookup('plain')).toEqual({ values: ['p1'] });
  expect(traced).toEqual([]);
});

test.each([A, 'plain'])('another connection adds and removes a value of %s: the next lookup sees each', (key) => {
  addValue(other, key, 'newer', 20);
  expect(lookup(key)).toEqual({ values: ['newer', `${key === A ? 'a' : 'p'}1`] });
  other.prepare('DELETE FROM txt_values WHERE subdomain_key = ? AND value = ?').run(key, 'newer');
  expect(lookup(key)).toEqual({ values: [`${key === A ? 'a' : 'p'}1`] });
  other.prepare('UPDATE txt_values SET value = ? WHERE subdomain_key = ?').run('changed', key);
  expect(lookup(key)).toEqual({ values: ['changed'] });
});

test('a value moved to another name (an UPDATE of its subdomain_key) leaves the old name and reaches the new one', () => {
  other.prepare('UPDATE txt_values SET subdomain_key = ? WHERE subdomain_key = ?').run(B, A);
  expect(lookup(A)).toEqual({ values: [] });
  expect(lookup(B)).toEqual({ values: ['a1'] });
});

test('another connection creates and deletes accounts', () => {
  const C = 'c0ffee00-1111-4222-8333-444455556666';
  expect(lookup(C)).toBeUndefined();
  addAccount(other, C);
  addAccount(other, 'plain-2');
  expect(lookup(C)).toEqual({ values: [] });
  expect(lookup('plain-2')).toEqual({ values: [] });
  other.prepare('DELETE FROM accounts WHERE subdomain_key IN (?, ?)').run(C, A);
  expect(lookup(C)).toBeUndefined();
  expect(lookup(A)).toBeUndefined();
});

test('the newest account deleted and another created in its rowid: the new name is found, the old one gone', () => {
  const reuser = 'de1e7ed0-0000-4000-8000-000000000001';
  other.prepare("DELETE FROM accounts WHERE subdomain_key = 'plain'").run();
  expect(addAccount(other, reuser)).toBe(3);
  expect(lookup(reuser)).toEqual({ values: [] });
  expect(lookup('plain')).toBeUndefined();
});

test('a renamed account (subdomain_key changed) is found under its new name only, with that name\'s values', () => {
  const renamed = 'fe11a11e-0000-4000-8000-000000000002';
  addValue(other, renamed, 'waiting', 5);
  expect(lookup(renamed)).toBeUndefined();
  other.prepare('UPDATE accounts SET subdomain_key = ? WHERE subdomain_key = ?').run(renamed, A);
  expect(lookup(renamed)).toEqual({ values: ['waiting'] });
  expect(lookup(A)).toBeUndefined();
});

test('a log pruned past the reader (more changes than it keeps): the index is rebuilt, earlier changes included', () => {
  other.prepare('DELETE FROM txt_values WHERE subdomain_key = ?').run(A);
  other.transaction(() => {
    for (let i = 0; i < 6000; i++) addAccount(other, `bulk-${i}`);
  })();
  // The log kept only the newest ~5,000 changes: A's is gone from it.
  expect(other.prepare('SELECT count(*) FROM dns_changes').pluck().get()).toBeLessThan(5200);
  expect(lookup(A)).toEqual({ values: [] });
  expect(lookup('bulk-0')).toEqual({ values: [] });
});

test('another database restored into the file (its log past the seq the reader saw, other tags) is read anew', async () => {
  const sourceFile = path.join(dir, 'backup.db');
  const source = openSqliteDatabase(sourceFile);
  // More changes than this file's log holds, so its seqs cover the reader's: only the tags differ.
  for (const key of ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']) addAccount(source, key);
  addValue(source, 'r2', 'restored', 10);
  // The SQLite backup API writing into the live file, as the sqlite3 shell's .restore does.
  await source.backup(file);
  source.close();
  expect(lookup('r2')).toEqual({ values: ['restored'] });
  expect(lookup(A)).toBeUndefined();
});

test('an older copy of the database restored into the file, then as many changes made: read anew', async () => {
  const copyFile = path.join(dir, 'copy.db');
  await other.backup(copyFile);
  addValue(other, B, 'after-copy-1', 20);
  addValue(other, B, 'after-copy-2', 21);
  expect(lookup(B)).toEqual({ values: ['after-copy-2', 'after-copy-1'] });
  const copy = new Database(copyFile);
  await copy.backup(file);
  copy.close();
  // The copy's log ends two rows earlier: two changes give its rows the seqs the reader has seen.
  addValue(other, 'plain', 'p2', 20);
  addValue(other, 'plain', 'p3', 21);
  expect(lookup(B)).toEqual({ values: [] });
  expect(lookup('plain')).toEqual({ values: ['p3', 'p2'] });
});

test('a bulk import by another store is found, and leaves the log small', async () => {
  const importer = openSqliteStore({ file, txt: { keep: 2, maxAgeSeconds: 0 }, zone: 'auth.example.org' });
  const subs = Array.from({ length: 12_000 }, (_, i) => `${i.toString(16).padStart(8, '0')}-1111-4222-8333-444455556666`);
  try {
    const entries = subs.map((sub) => ({ account: { username: sub, passwordHash: 'h', subdomain: sub, allowFrom: [] }, values: [{ value: `v-${sub}`, updatedAt: 100 }] }));
    await importer.importAccounts(entries.slice(0, 10));
    expect(lookup(subs[9] as string)).toEqual({ values: [`v-${subs[9] as string}`] });
    await importer.importAccounts(entries.slice(10));
  } finally {
    await importer.close();
  }
  expect(other.prepare('SELECT count(*) FROM dns_changes').pluck().get()).toBeLessThan(5200);
  for (const sub of subs) expect(lookup(sub)).toEqual({ values: [`v-${sub}`] });
});

test('a build and the re-read of one name agree: newest `keep` by updated_at, then id', async () => {
  const C = 'c0ffee00-1111-4222-8333-444455556666';
  addAccount(other, C);
  // Ties on updated_at: the later row (higher id) is newer.
  for (const [value, at] of [['x', 30], ['y', 40], ['z', 30], ['w', 40], ['old', 1]] as const) addValue(other, C, value, at);
  // Re-read after the log named C (account-sync.ts readAccount).
  expect(lookup(C)).toEqual({ values: ['w', 'y'] });
  // Full builds (value-by-value in id order, AccountIndex.addNewer), keeping 2 and 4.
  for (const [keep, values] of [[2, ['w', 'y']], [4, ['w', 'y', 'z', 'x']]] as const) {
    const builder = accountSync(db, keep);
    builder.refresh();
    await loaded(builder);
    expect(builder.index().get(C, -Infinity)).toEqual({ values });
    builder.close();
  }
});

test('while the values load in chunks, lookups read SQLite, and commits between chunks are applied', async () => {
  const keys = Array.from({ length: 40 }, (_, i) => `${i.toString(16).padStart(8, '0')}-2222-4333-8444-555566667777`);
  other.transaction(() => {
    for (const key of keys) addAccount(other, key);
    for (let round = 0; round < 3; round++) for (const key of keys) addValue(other, key, `${key}-${round}`, 100 + round);
  })();
  const slow = accountSync(db, 2, 7);
  const reader = sqliteReads(db, file, 2, 0, slow);
  const cacheSize = db.pragma('cache_size', { simple: true });
  try {
    reader.validate();
    // The newest account's values come in the last chunks: looked up now, it is read whole from SQLite.
    const last = keys[39] as string;
    expect(reader.lookup(last, 1000)).toEqual(expected(last));
    expect(slow.isLoading()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1));
    addValue(other, keys[0] as string, 'between-chunks', 500);
    other.prepare('DELETE FROM txt_values WHERE value = ?').run(`${keys[30] as string}-2`);
    reader.validate();
    expect(reader.lookup(keys[0] as string, 1000)).toEqual(expected(keys[0] as string));
    // The page cache was small for the scans only.
    expect(db.pragma('cache_size', { simple: true })).not.toBe(cacheSize);
    await loaded(slow);
    expect(db.pragma('cache_size', { simple: true })).toBe(cacheSize);
    reader.validate();
    for (const key of [...keys, A, B, 'plain']) expect(reader.lookup(key, 1000)).toEqual(expected(key));
  } finally {
    reader.close();
  }
});

test('a caller that never yields to the event loop still gets the values loaded (a lookup runs the starved chunk)', () => {
  const keys = Array.from({ length: 40 }, (_, i) => `${i.toString(16).padStart(8, '0')}-3333-4444-8555-666677778888`);
  other.transaction(() => {
    for (const key of keys) addAccount(other, key);
    for (const key of keys) addValue(other, key, `${key}-v`, 100);
  })();
  const slow = accountSync(db, 2, 16);
  const reader = sqliteReads(db, file, 2, 0, slow);
  try {
    reader.validate();
    // The first lookup builds: the names now, the values in chunks of 16 rows.
    expect(reader.lookup(keys[0] as string, 1000)).toEqual({ values: [`${keys[0] as string}-v`] });
    expect(slow.isLoading()).toBe(true);
    const deadline = Date.now() + 3000;
    // No await: the timers that load in the background never run in this loop.
    while (slow.isLoading() && Date.now() < deadline) expect(reader.lookup(keys[0] as string, 1000)).toEqual({ values: [`${keys[0] as string}-v`] });
    expect(slow.isLoading()).toBe(false);
    for (const key of keys) expect(reader.lookup(key, 1000)).toEqual(expected(key));
  } finally {
    reader.close();
  }
});

/** The reply replay's in-place read after the change check (SyncZoneReads.writeSoleValue): the value, or false. */
function sole(of: SqliteReads, key: string, length: number): string | false {
  of.validate();
  const out = Buffer.alloc(length);
  return of.writeSoleValue(Buffer.from(`\u0024${key}`, 'latin1'), 1, 1000, length, out, 0) && out.toString();
}

test('the in-place read of one value follows every commit of another connection', () => {
  expect(sole(reads, A, 2)).toBe('a1');
  addValue(other, A, 'a2', 20);
  expect(sole(reads, A, 2)).toBe(false);
  other.prepare('DELETE FROM txt_values WHERE value = ?').run('a1');
  expect(sole(reads, A, 2)).toBe('a2');
  other.prepare('DELETE FROM accounts WHERE subdomain_key = ?').run(A);
  expect(sole(reads, A, 2)).toBe(false);
  expect(lookup(A)).toBeUndefined();
});

test('while the values load, the in-place read says false (a lookup settles the account first)', async () => {
  const keys = Array.from({ length: 40 }, (_, i) => `${i.toString(16).padStart(8, '0')}-2222-4333-8444-555566667777`);
  other.transaction(() => {
    for (const key of keys) addAccount(other, key);
    for (const key of keys) addValue(other, key, 'v1', 100);
  })();
  const slow = accountSync(db, 2, 7);
  const reader = sqliteReads(db, file, 2, 0, slow);
  try {
    reader.validate();
    expect(reader.lookup(keys[0] as string, 1000)).toEqual({ values: ['v1'] });
    expect(slow.isLoading()).toBe(true);
    expect(sole(reader, keys[0] as string, 2)).toBe(false);
    await loaded(slow);
    for (const key of keys) expect(sole(reader, key, 2)).toBe('v1');
  } finally {
    reader.close();
  }
});
