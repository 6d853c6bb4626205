/**
 * `acmedns import` from acme-dns's PostgreSQL layout (lower-case identifiers, TEXT hashes, the
 * SERIAL rowid), through the built binary, into PostgreSQL and into SQLite; then the real daemon:
 * original credentials update, DNS serves the imported values, and a second run changes nothing.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { txtValue, update } from './support/api-client';
import { realAccount, txtRows, volumeAccounts, writeAcmeDnsPostgres, randomTxt, type AcmeDnsAccount } from './support/acmedns-db';
import { startTestDaemon, testConfigToml } from './support/daemon';
import { txtValues, udpQuery } from './support/dns-client';
import { startPostgres, type TestPostgres } from './support/postgres';
import { summaryCount } from './support/import-cli';
import { runCli } from './support/server-process';

let pg: TestPostgres;
let dir: string;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pg?.destroy();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-import-pg-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function rows(url: string, text: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

function config(options: { postgresUrl?: string }, name = 'config.toml'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, testConfigToml(dir, '', options));
  return file;
}

/** An acme-dns database with a few real accounts and some volume; returns its URL and accounts. */
async function acmeDnsDatabase(): Promise<{ url: string; open: AcmeDnsAccount; limited: AcmeDnsAccount; accounts: AcmeDnsAccount[] }> {
  const open = await realAccount('[]', txtRows(randomTxt()));
  const limited = await realAccount('["[::1]/128"]', txtRows(randomTxt()));
  const accounts = [open, limited, ...volumeAccounts(800, open.hash, (i) => txtRows(i % 2 ? randomTxt() : undefined))];
  const url = await pg.createDatabase();
  await writeAcmeDnsPostgres(url, accounts);
  return { url, open, limited, accounts };
}

describe('acmedns import from acme-dns on PostgreSQL', () => {
  it('into PostgreSQL: clients keep working, values are served, a second run changes nothing', async () => {
    const { url, open, limited, accounts } = await acmeDnsDatabase();
    const target = await pg.createDatabase();
    const file = config({ postgresUrl: target });

    const first = await runCli(['import', '--from', url, '-c', file]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('(acme-dns PostgreSQL, db_version 1)');
    expect(summaryCount(first.stdout, 'created')).toBe(accounts.length);
    expect(summaryCount(first.stdout, 'imported')).toBe(2 + 400);

    const d = await startTestDaemon({ postgresUrl: target });
    try {
      const openValue = open.txt.find((t) => t.value)?.value;
      expect(txtValues(await udpQuery(d.dns, { name: `${open.subdomain}.auth.example.org`, type: 'TXT' }))).toEqual([openValue]);
      expect((await update(d.api, open, txtValue('pg-import'))).status).toBe(200);
      expect((await update(d.api, limited, txtValue('pg-import'))).status).toBe(401);
      expect(txtValues(await udpQuery(d.dns, { name: `${open.subdomain}.auth.example.org`, type: 'TXT' }))).toContain(txtValue('pg-import'));
    } finally {
      await d.stop();
    }

    const snapshot = async (): Promise<unknown> => ({
      accounts: await rows(target, 'SELECT username, password_hash, subdomain, allowfrom, created_at FROM accounts ORDER BY username'),
      txt: await rows(target, 'SELECT subdomain_key, value, updated_at FROM txt_values ORDER BY subdomain_key, value'),
    });
    const before = await snapshot();
    const second = await runCli(['import', '--from', url, '-c', file]);
    expect(second.code).toBe(0);
    expect(summaryCount(second.stdout, 'created')).toBe(0);
    expect(summaryCount(second.stdout, 'already present')).toBe(accounts.length);
    expect(await snapshot()).toEqual(before);
  }, 90_000);

  it('into SQLite, from a lib/pq key=value DSN', async () => {
    const { url, open, accounts } = await acmeDnsDatabase();
    const u = new URL(url);
    const dsn = `host=${u.hostname} port=${u.port} user=${u.username} dbname=${u.pathname.slice(1)} sslmode=disable`;
    const r = await runCli(['import', '--from', dsn, '-c', config({})]);
    expect(r.code).toBe(0);
    expect(summaryCount(r.stdout, 'created')).toBe(accounts.length);
    const d = await startTestDaemon({ sqliteFile: path.join(dir, 'acmedns.db') });
    try {
      expect((await update(d.api, open, txtValue('to-sqlite'))).status).toBe(200);
    } finally {
      await d.stop();
    }
  }, 60_000);
});

describe('acmedns import of hostile rows, PostgreSQL to PostgreSQL', () => {
  it('clamps a future LastUpdate, locks a 200,000-range allowfrom, escapes names, audits each account once', async () => {
    const hash = '$2a$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234';
    const [ahead, huge, escaped, ...rest] = volumeAccounts(13, hash, () => txtRows());
    if (!ahead || !huge || !escaped) throw new Error('no accounts');
    const value = randomTxt();
    const ranges = JSON.stringify(Array.from({ length: 200_000 }, (_, i) => `${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`));
    const url = await pg.createDatabase();
    await writeAcmeDnsPostgres(url, [
      // The largest INT acme-dns's column holds: 2038, far after any import.
      { ...ahead, txt: [{ value, lastUpdate: 2147483647 }] },
      { ...huge, allowfrom: ranges },
      { ...escaped, subdomain: `\x1b[31m${'q'.repeat(5000)}` },
      ...rest,
    ]);
    const target = await pg.createDatabase();
    const file = config({ postgresUrl: target });
    const started = Math.floor(Date.now() / 1000);
    const r = await runCli(['import', '--from', url, '-c', file]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(summaryCount(r.stdout, 'created')).toBe(12);
    expect(r.stdout).toContain(`${ahead.username}: LastUpdate "2147483647" of ${value} is later than the import: imported as updated now`);
    expect(r.stdout).toContain(`${huge.username}: allowfrom holds 200000 ranges, more than 100: imported locked`);
    expect(r.stdout).toContain(`${escaped.username}: subdomain "\\x1b[31m${'q'.repeat(75)}…(4925 more)" is not a DNS label`);
    expect(r.stdout).not.toContain('\x1b');
    const [stored] = (await rows(target, `SELECT updated_at FROM txt_values WHERE value = '${value}'`)) as { updated_at: string }[];
    expect(Number(stored?.updated_at)).toBeGreaterThanOrEqual(started);
    expect(Number(stored?.updated_at)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(await rows(target, `SELECT allowfrom FROM accounts WHERE username = '${huge.username}'`)).toEqual([{ allowfrom: '["0.0.0.0/32","::/128"]' }]);

    const audited = async (): Promise<unknown[]> =>
      rows(target, "SELECT username FROM audit WHERE action = 'account.imported' AND actor = 'cli' ORDER BY id");
    expect(await audited()).toHaveLength(12);
    const again = await runCli(['import', '--from', url, '-c', file]);
    expect(summaryCount(again.stdout, 'already present')).toBe(12);
    expect(await audited()).toHaveLength(12);
    const list = await runCli(['accounts', 'list', '--json', '-c', file]);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(12);
  }, 90_000);
});

describe('acmedns import refuses PostgreSQL sources it cannot use, in one line', () => {
  it('an unreachable server, without echoing the password', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const r = await runCli(['import', '--from', `postgres://acmedns:sekret-pw-9@127.0.0.1:${port}/acmedns?sslmode=disable`, '-c', config({})]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`cannot connect to postgres acmedns@127.0.0.1:${port}/acmedns: `);
    expect(r.stderr).toContain('ECONNREFUSED');
    expect(r.stdout + r.stderr).not.toContain('sekret');
  });

  it.each([
    ['a DSN with a space in the password', 'host=127.0.0.1 user=acmedns password=sekret pw9 dbname=acmedns', /the word at character 45 has no "="/],
    ['a DSN with an unclosed quote', "host=127.0.0.1 user=acmedns password='sekret-pw-9 dbname=acmedns", /password's quoted value opened at character 38 is never closed/],
    ['a URL with an unencoded "/" in the password', 'postgres://acmedns:12/sekret9@127.0.0.1/acmedns', /not a valid postgres:\/\/ URL|'@' after the host/],
    ['a URL with an unencoded "?" in the password', 'postgres://acmedns:12?sekret9@127.0.0.1/acmedns', /'@' after the host/],
    ['a DSN whose first "=" is missing', 'hostdb password=sekret-pw-9', /no file, nor a postgres:\/\/ URL or key=value DSN/],
    ['a URL scheme typo', 'postgres:/acmedns:sekret-pw-9@127.0.0.1/acmedns', /no file, nor a postgres:\/\/ URL or key=value DSN/],
  ])('%s: one line that holds no part of the password', async (_name, from, message) => {
    const r = await runCli(['import', '--from', from, '-c', config({})]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    for (const piece of ['sekret', 'pw9', 'pw-9', '12']) expect(r.stdout + r.stderr).not.toContain(piece);
  });

  it('a database without acme-dns tables', async () => {
    const empty = await pg.createDatabase();
    const r = await runCli(['import', '--from', empty, '-c', config({})]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has no table records: not an acme-dns database\n$/);
  });

  it('a target that is the acme-dns database itself', async () => {
    const { url } = await acmeDnsDatabase();
    const r = await runCli(['import', '--from', url, '-c', config({ postgresUrl: url })]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("holds acme-dns's tables: point it at a new empty database for acmedns; --from stays where it is");
  }, 30_000);
});
