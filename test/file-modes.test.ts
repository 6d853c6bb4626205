/**
 * Files that hold secrets are private whatever the umask (run under the usual 0022): the SQLite
 * folder 0700, the database and its -wal and -shm 0600, the log file 0600, also for a store the
 * CLI creates; existing files and folders that let others in are reported once at start, never
 * changed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../src/log';
import { register, txtValue, update } from './support/api-client';
import { realAccount, writeAcmeDnsSqlite } from './support/acmedns-db';
import { startTestDaemon, testConfigToml } from './support/daemon';
import { runCli } from './support/server-process';

const modeOf = (file: string): string => (fs.statSync(file).mode & 0o777).toString(8);
const FILES_WARNING = 'readable or writable by other users';

let previousUmask: number;
let work: string;
beforeAll(() => {
  previousUmask = process.umask(0o022);
});
afterAll(() => process.umask(previousUmask));
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-modes-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

/** The warning lines (JSON) a daemon logged at start. */
const warnings = (logText: string): { msg: string; module?: string }[] =>
  logText
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { msg: string; level: number; module?: string })
    .filter((l) => l.level === 40);

describe('the SQLite store', () => {
  test('a new store: folders 0700, database, -wal and -shm 0600 after a write, no warning', async () => {
    const file = path.join(work, 'state', 'deep', 'acmedns.db');
    const d = await startTestDaemon({ sqliteFile: file });
    try {
      const account = await register(d.api);
      expect((await update(d.api, account, txtValue('modes'))).status).toBe(200);
      expect({
        state: modeOf(path.join(work, 'state')),
        deep: modeOf(path.join(work, 'state', 'deep')),
        db: modeOf(file),
        wal: modeOf(`${file}-wal`),
        shm: modeOf(`${file}-shm`),
      }).toEqual({ state: '700', deep: '700', db: '600', wal: '600', shm: '600' });
      expect(warnings(d.logText())).toEqual([]);
    } finally {
      await d.stop();
    }
  });

  test('an existing 0644 database: one warning line naming the files and their mode; the modes are left', async () => {
    const file = path.join(work, 'acmedns.db');
    await (await startTestDaemon({ sqliteFile: file })).stop();
    fs.chmodSync(file, 0o644);
    const d = await startTestDaemon({ sqliteFile: file });
    try {
      const lines = warnings(d.logText()).filter((l) => l.msg.includes(FILES_WARNING));
      expect(lines).toHaveLength(1);
      expect(lines[0]?.module).toBe('store');
      // SQLite gave the new -wal and -shm the database's mode, so they are named too.
      expect(lines[0]?.msg).toContain(`${file} 0644, ${file}-wal 0644, ${file}-shm 0644`);
      expect(modeOf(file)).toBe('644');
    } finally {
      await d.stop();
    }
  });

  test('an existing folder open to others: warned, left as it is; the new database is still 0600', async () => {
    const folder = path.join(work, 'shared');
    fs.mkdirSync(folder);
    fs.chmodSync(folder, 0o755);
    const d = await startTestDaemon({ sqliteFile: path.join(folder, 'acmedns.db') });
    try {
      const lines = warnings(d.logText()).filter((l) => l.msg.includes(folder));
      expect(lines.map((l) => l.msg)).toEqual([`database folder ${folder} is 0755: other users can reach or change the files in it; make it 0700 or 0750`]);
      expect(modeOf(folder)).toBe('755');
      expect(modeOf(path.join(folder, 'acmedns.db'))).toBe('600');
    } finally {
      await d.stop();
    }
  });

  test('a 0750 folder (systemd StateDirectoryMode in examples/) is not warned about', async () => {
    const folder = path.join(work, 'state');
    fs.mkdirSync(folder);
    fs.chmodSync(folder, 0o750);
    const d = await startTestDaemon({ sqliteFile: path.join(folder, 'acmedns.db') });
    try {
      expect(warnings(d.logText())).toEqual([]);
    } finally {
      await d.stop();
    }
  });

  test('acmedns import creates its target store the same way', async () => {
    const source = path.join(work, 'acme-dns.db');
    writeAcmeDnsSqlite(source, [await realAccount()]);
    const target = path.join(work, 'new', 'acmedns.db');
    const config = path.join(work, 'config.toml');
    fs.writeFileSync(config, testConfigToml(work, '', { sqliteFile: target }));
    const r = await runCli(['import', '--from', source, '-c', config]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect({ folder: modeOf(path.dirname(target)), db: modeOf(target) }).toEqual({ folder: '700', db: '600' });
  });
});

describe('the log file', () => {
  test('created 0600 in a folder created 0700', () => {
    const file = path.join(work, 'logs', 'acmedns.log');
    createLogger({ level: 'info', format: 'json', type: 'file', file }).info('hello');
    expect(fs.readFileSync(file, 'utf8')).toContain('hello');
    expect({ folder: modeOf(path.dirname(file)), file: modeOf(file) }).toEqual({ folder: '700', file: '600' });
  });

  test('an existing log file keeps its mode and is appended to', () => {
    const file = path.join(work, 'acmedns.log');
    fs.writeFileSync(file, 'before\n', { mode: 0o640 });
    createLogger({ level: 'info', format: 'json', type: 'file', file }).info('after');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^before\n.*after/s);
    expect(modeOf(file)).toBe('640');
  });
});
