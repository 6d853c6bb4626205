/**
 * `acmedns import` from acme-dns SQLite files built as acme-dns writes them, run through the built
 * binary as an operator runs it; then the real daemon on the imported store: the original
 * credentials update, DNS serves the imported values, and a second import changes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  realAccount,
  txtRows,
  volumeAccounts,
  writeAcmeDnsSqlite,
  randomTxt,
  type AcmeDnsAccount,
} from './support/acmedns-db';
import { startTestDaemon, testConfigToml, txtValue } from './support/daemon';
import { queryUdp, rcodeOf, txtValues } from './support/dns-client';
import { runCli } from './support/server-process';

const DAY = 86400;
const now = (): number => Math.floor(Date.now() / 1000);

/** The update request a client that kept its acme-dns credentials sends. */
async function updateAs(api: string, a: AcmeDnsAccount, txt: string): Promise<number> {
  const res = await fetch(`${api}/update`, {
    method: 'POST',
    headers: { 'X-Api-User': a.username, 'X-Api-Key': a.password ?? '', 'Content-Type': 'application/json' },
    body: JSON.stringify({ subdomain: a.subdomain, txt }),
  });
  await res.text();
  return res.status;
}

/** Every row of our store's tables, to compare before and after a re-run. */
function dump(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    return {
      accounts: db.prepare('SELECT username, password_hash, subdomain, allowfrom, created_at FROM accounts ORDER BY username').all(),
      txt: db.prepare('SELECT subdomain_key, value, updated_at FROM txt_values ORDER BY subdomain_key, value').all(),
    };
  } finally {
    db.close();
  }
}

/** A summary line's number: `  created        1,203` -> 1203. */
function count(stdout: string, label: string): number {
  const line = stdout.split('\n').find((l) => l.trimStart().startsWith(label));
  if (!line) throw new Error(`no "${label}" line in:\n${stdout}`);
  return Number(line.trim().split(/\s+/).pop()?.replace(/,/g, ''));
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-import-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeConfig(): { config: string; store: string } {
  const config = path.join(dir, 'config.toml');
  fs.writeFileSync(config, testConfigToml(dir));
  return { config, store: path.join(dir, 'acmedns.db') };
}

describe('acmedns import from an acme-dns SQLite file', () => {
  it('keeps the clients working, serves the imported values, and a second run changes nothing', async () => {
    const recent = randomTxt();
    const open = await realAccount('[]', txtRows(recent));
    const fromLoopback = await realAccount('["127.0.0.0/8"]', txtRows());
    // Stored as registered with "[::1]/128": brackets are stripped, so only ::1 may update.
    const onlyV6 = await realAccount('["[::1]/128"]', txtRows(randomTxt()));
    const unreadable = await realAccount('{"not": "a list"}', txtRows(randomTxt()));
    const old = randomTxt();
    const volume = volumeAccounts(1200, open.hash, (i) => (i === 0 ? txtRows(old, now() - 30 * DAY) : txtRows(randomTxt())));
    const accounts = [open, fromLoopback, onlyV6, unreadable, ...volume];
    const source = path.join(dir, 'acme-dns.db');
    writeAcmeDnsSqlite(source, accounts, { orphanTxt: [{ value: randomTxt(), lastUpdate: now() }] });
    const { config, store } = writeConfig();

    const first = await runCli(['import', '--from', source, '-c', config]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(count(first.stdout, 'read')).toBe(accounts.length);
    expect(count(first.stdout, 'created')).toBe(accounts.length);
    expect(count(first.stdout, 'already present')).toBe(0);
    expect(count(first.stdout, 'skipped')).toBe(0);
    // One value per account except fromLoopback (never updated); two empty rows for it, one for the others.
    expect(count(first.stdout, 'imported')).toBe(accounts.length - 1);
    expect(count(first.stdout, 'empty rows')).toBe(accounts.length + 1);
    expect(first.stdout).toContain('1 value older than max_age (txt.max_age = 7 days) was imported but will not be served');
    expect(first.stdout).toContain('1 value in txt rows of no account was not imported');
    expect(first.stdout).toContain(`${unreadable.username}: allowfrom`);

    const d = await startTestDaemon({ sqliteFile: store });
    try {
      const name = (a: AcmeDnsAccount): string => `${a.subdomain}.auth.example.org`;
      expect(txtValues(await queryUdp(d.dns, name(open), 'TXT'))).toEqual([recent]);
      const someVolume = volume[700];
      if (!someVolume) throw new Error('no volume account');
      const volumeValue = someVolume.txt.find((t) => t.value !== '')?.value;
      expect(txtValues(await queryUdp(d.dns, name(someVolume), 'TXT'))).toEqual([volumeValue]);
      // Older than max_age: imported, not served; the name still exists (NODATA, not NXDOMAIN).
      const stale = await queryUdp(d.dns, name(volume[0] as AcmeDnsAccount), 'TXT');
      expect([rcodeOf(stale), txtValues(stale)]).toEqual(['NOERROR', []]);
      const never = await queryUdp(d.dns, name(fromLoopback), 'TXT');
      expect([rcodeOf(never), txtValues(never)]).toEqual(['NOERROR', []]);

      // The credentials acme-dns handed out keep working, with their allowfrom.
      const fresh = txtValue('after-import');
      expect(await updateAs(d.api, open, fresh)).toBe(200);
      expect(await updateAs(d.api, fromLoopback, fresh)).toBe(200);
      expect(await updateAs(d.api, { ...open, password: fromLoopback.password }, fresh)).toBe(401);
      expect(await updateAs(d.api, onlyV6, fresh)).toBe(401);
      expect(await updateAs(d.api, unreadable, fresh)).toBe(401);
      expect(txtValues(await queryUdp(d.dns, name(open), 'TXT')).sort()).toEqual([fresh, recent].sort());
      expect(txtValues(await queryUdp(d.dns, name(fromLoopback), 'TXT'))).toEqual([fresh]);
    } finally {
      await d.stop();
    }

    const before = dump(store);
    const second = await runCli(['import', '--from', source, '-c', config]);
    expect(second.code).toBe(0);
    expect(count(second.stdout, 'created')).toBe(0);
    expect(count(second.stdout, 'already present')).toBe(accounts.length);
    expect(dump(store)).toEqual(before);
  }, 60_000);

  it('reads a file made by acme-dns v0.1/v0.2 and upgraded (dead Value/LastActive columns)', async () => {
    const value = randomTxt();
    const a = await realAccount('[]', txtRows(value));
    const source = path.join(dir, 'old.db');
    writeAcmeDnsSqlite(source, [a, ...volumeAccounts(5, a.hash, () => txtRows())], { legacyV0: true });
    const { config, store } = writeConfig();
    const r = await runCli(['import', '--from', source, '-c', config]);
    expect(r.code).toBe(0);
    expect(count(r.stdout, 'created')).toBe(6);
    // The junk in records.Value is not a value: only the txt table's one is.
    expect(count(r.stdout, 'imported')).toBe(1);
    const d = await startTestDaemon({ sqliteFile: store });
    try {
      expect(txtValues(await queryUdp(d.dns, `${a.subdomain}.auth.example.org`, 'TXT'))).toEqual([value]);
      expect(await updateAs(d.api, a, txtValue('v0'))).toBe(200);
    } finally {
      await d.stop();
    }
  }, 30_000);

  it('keeps the all-lower-case one of two subdomains that differ only in case, and says so', async () => {
    const base = volumeAccounts(2, '$2a$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234', () => txtRows(randomTxt()));
    const [x, y] = base as [AcmeDnsAccount, AcmeDnsAccount];
    const lower = { ...x, subdomain: 'shared-name' };
    const upper = { ...y, subdomain: 'Shared-Name' };
    const source = path.join(dir, 'case.db');
    writeAcmeDnsSqlite(source, [lower, upper]);
    const { config } = writeConfig();
    const r = await runCli(['import', '--from', source, '-c', config]);
    expect(r.code).toBe(0);
    expect(count(r.stdout, 'created')).toBe(1);
    expect(count(r.stdout, 'skipped')).toBe(1);
    expect(r.stdout).toContain(`${upper.username}: subdomain "Shared-Name" differs only in case from "shared-name"`);
  });

  it('--dry-run reads and reports, and writes nothing', async () => {
    const source = path.join(dir, 'acme-dns.db');
    writeAcmeDnsSqlite(source, volumeAccounts(3, '$2a$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234', () => txtRows(randomTxt())));
    const { config, store } = writeConfig();
    const r = await runCli(['import', '--dry-run', '--from', source, '-c', config]);
    expect(r.code).toBe(0);
    expect(count(r.stdout, 'would be imported')).toBe(3);
    expect(fs.existsSync(store)).toBe(false);
  });
});

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
    const { config, store } = writeConfig();
    const r = await runCli(['import', '--from', source, '-c', config]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(fs.existsSync(store)).toBe(false);
  });

  it('an acmedns store given as the source', async () => {
    const { config, store } = writeConfig();
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
    const { config, store } = writeConfig();
    writeAcmeDnsSqlite(store, []);
    const r = await runCli(['import', '--from', store, '-c', config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--from and database.connection both name');
  });

  it('no --from', async () => {
    const { config } = writeConfig();
    const r = await runCli(['import', '-c', config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('acmedns: import needs --from <acme-dns database file | postgres URL>\n');
  });

  it('serve pointed at an acme-dns file names the command that works', async () => {
    const { config, store } = writeConfig();
    const acmeDns = path.join(dir, 'acme-dns.db');
    writeAcmeDnsSqlite(acmeDns, volumeAccounts(2, '$2a$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234', () => txtRows()));
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
    expect(count(r.stdout, 'created')).toBe(2);
  });
});

