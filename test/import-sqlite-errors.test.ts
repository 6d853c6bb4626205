/**
 * `acmedns import` refuses, in one line and before writing anything, what it cannot import:
 * files that are not acme-dns databases, unsupported versions, the store itself as the source.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { txtRows, volumeAccounts, writeAcmeDnsSqlite } from './support/acmedns-db';
import { testConfigToml, writeTestConfig } from './support/daemon';
import { summaryCount } from './support/import-cli';
import { runCli } from './support/server-process';

const HASH = '$2a$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-import-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('acmedns import refuses what it cannot read, in one line', () => {
  const cases: [string, (file: string) => void, RegExp][] = [
    ['a missing file', () => undefined, /: no such file$/],
    ['a file that is not a database', (f) => fs.writeFileSync(f, 'this is not a database at all, just some text '.repeat(100)), /is not a SQLite database/],
    [
      'a SQLite file of something else',
      (f) => {
        const db = new Database(f);
        db.exec('CREATE TABLE notes (id INTEGER, body TEXT)');
        db.close();
      },
      /has no table records: not an acme-dns database$/,
    ],
    ['an acme-dns v0 file never upgraded', (f) => writeAcmeDnsSqlite(f, [], { dbVersion: null }), /version 0 database .* run acme-dns v0\.3 or later on it once/],
    ['an unknown db_version', (f) => writeAcmeDnsSqlite(f, [], { dbVersion: '7' }), /db_version "7"; this importer reads version 1/],
  ];
  it.each(cases)('%s', async (_name, make, message) => {
    const source = path.join(dir, 'source.db');
    make(source);
    const { config, store } = writeTestConfig(dir);
    const r = await runCli(['import', '--from', source, '-c', config]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(fs.existsSync(store)).toBe(false);
  });

  it('an acmedns store given as the source', async () => {
    const { config, store } = writeTestConfig(dir);
    const source = path.join(dir, 'ours.db');
    fs.writeFileSync(path.join(dir, 'ours.toml'), testConfigToml(dir).replace(store, source));
    writeAcmeDnsSqlite(path.join(dir, 'empty-acme-dns.db'), []);
    // Make an acmedns store by importing nothing into it.
    expect((await runCli(['import', '--from', path.join(dir, 'empty-acme-dns.db'), '-c', path.join(dir, 'ours.toml')])).code).toBe(0);
    const r = await runCli(['import', '--from', source, '-c', config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is an acmedns database already, not an acme-dns one: nothing to import');
  });

  it('the same file as source and store', async () => {
    const { config, store } = writeTestConfig(dir);
    writeAcmeDnsSqlite(store, []);
    const r = await runCli(['import', '--from', store, '-c', config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--from and database.connection both name');
  });

  it('no --from', async () => {
    const { config } = writeTestConfig(dir);
    const r = await runCli(['import', '-c', config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('acmedns: import needs --from <acme-dns database file | postgres URL>\n');
  });

  it('serve pointed at an acme-dns file names the command that works', async () => {
    const { config, store } = writeTestConfig(dir);
    const acmeDns = path.join(dir, 'acme-dns.db');
    writeAcmeDnsSqlite(acmeDns, volumeAccounts(2, HASH, () => txtRows()));
    fs.copyFileSync(acmeDns, store);
    const serve = await runCli(['serve', '-c', config]);
    expect(serve.code).toBe(1);
    const advice = /(acmedns import --from \S+ -c) <config>/.exec(serve.stdout + serve.stderr);
    if (!advice?.[1]) throw new Error(`no advice in:\n${serve.stdout}${serve.stderr}`);
    // Following the advice (with a config whose database.connection is a new file) works.
    const newConfig = path.join(dir, 'new.toml');
    fs.writeFileSync(newConfig, testConfigToml(dir).replace(store, path.join(dir, 'new.db')));
    const args = advice[1].split(' ').slice(1);
    const r = await runCli([...args, newConfig]);
    expect(r.code).toBe(0);
    expect(summaryCount(r.stdout, 'created')).toBe(2);
  });
});

