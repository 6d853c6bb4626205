/**
 * The change check each DNS query makes (changes.ts), in each of its forms: the WAL index mapped
 * into memory (native/shm-map, built by `npm ci`), read with pread where it is not built, and the
 * counters of a database without WAL. Each sees a commit by another connection, and only then.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { changeDetector } from './changes';
import { mapFileStart } from './shm-view';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-changes-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function walDatabase(name: string): { db: Database.Database; file: string } {
  const file = path.join(dir, name);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // zone_state: the table the check reads once to make sure the WAL index exists (changes.ts).
  db.exec('CREATE TABLE IF NOT EXISTS t (v INTEGER); CREATE TABLE IF NOT EXISTS zone_state (id INTEGER PRIMARY KEY, serial INTEGER)');
  return { db, file };
}

test('the addon is built and maps a file: the mapped bytes follow writes to it', () => {
  const file = path.join(dir, 'plain');
  fs.writeFileSync(file, Buffer.alloc(96, 1));
  const mapped = mapFileStart(file, 96);
  expect(mapped).toBeDefined();
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.from([9]), 0, 1, 5);
  fs.closeSync(fd);
  expect(mapped?.[5]).toBe(9);
  // Never past the end of the file (a read there would be SIGBUS).
  expect(mapFileStart(file, 4096)).toBeUndefined();
  expect(mapFileStart(path.join(dir, 'missing'), 96)).toBeUndefined();
});

test.each<[string, typeof mapFileStart | undefined]>([
  ['mapped', undefined],
  ['read with pread (addon missing)', () => undefined],
])('WAL index %s: a commit by another connection is a change, nothing else is', (_what, map) => {
  const { db, file } = walDatabase(`${map === undefined ? 'mapped' : 'pread'}.db`);
  const other = new Database(file);
  try {
    const check = changeDetector(db, file, map);
    expect(check.changed()).toBe(true); // the first call
    expect(check.changed()).toBe(false);
    other.prepare('INSERT INTO t VALUES (1)').run();
    expect(check.changed()).toBe(true);
    expect(check.changed()).toBe(false);
    db.prepare('INSERT INTO t VALUES (2)').run();
    expect(check.changed()).toBe(true);
    check.close();
  } finally {
    other.close();
    db.close();
  }
});

test('without WAL (in memory): its own writes are a change', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (v INTEGER)');
  const check = changeDetector(db, ':memory:');
  expect(check.changed()).toBe(true);
  expect(check.changed()).toBe(false);
  db.prepare('INSERT INTO t VALUES (1)').run();
  expect(check.changed()).toBe(true);
  db.close();
});
