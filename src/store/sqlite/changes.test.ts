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
import { mapFileStart, walIndexDescriptor } from './shm-view';

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

test('the addon is built and maps an open file: the mapped bytes follow writes to it', () => {
  const file = path.join(dir, 'plain');
  fs.writeFileSync(file, Buffer.alloc(96, 1));
  const fd = walIndexDescriptor(file);
  const mapped = mapFileStart(fd, 96);
  expect(mapped).toBeDefined();
  const writer = fs.openSync(file, 'r+');
  fs.writeSync(writer, Buffer.from([9]), 0, 1, 5);
  fs.closeSync(writer);
  expect(mapped?.[5]).toBe(9);
  // Never past the end of the file (a read there would be SIGBUS).
  expect(mapFileStart(fd, 4096)).toBeUndefined();
  // One descriptor per file for the process.
  expect(walIndexDescriptor(file)).toBe(fd);
});

/** The POSIX locks this process holds on `file` (Linux /proc/locks: pid, then major:minor:inode). */
function locksHeldOn(file: string): number {
  const inode = fs.statSync(file).ino;
  return fs
    .readFileSync('/proc/locks', 'utf8')
    .split('\n')
    .filter((line) => {
      const fields = line.trim().split(/\s+/);
      const at = fields.indexOf('ADVISORY') + 2; // after READ/WRITE: the pid, then the file
      return fields[at] === String(process.pid) && fields[at + 1]?.endsWith(`:${inode}`);
    }).length;
}

test("the check keeps SQLite's locks on the WAL index (closing a descriptor of it would drop them all)", () => {
  const { db, file } = walDatabase('locks.db');
  try {
    db.prepare('SELECT count(*) FROM t').get();
    const shm = `${fs.realpathSync(file)}-shm`;
    const before = locksHeldOn(shm);
    expect(before).toBeGreaterThan(0);
    for (const map of [undefined, () => undefined]) {
      const check = changeDetector(db, file, map);
      check.changed();
      check.close();
      expect(locksHeldOn(shm)).toBe(before);
    }
  } finally {
    db.close();
  }
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
