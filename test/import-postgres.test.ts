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
import { realAccount, txtRows, volumeAccounts, writeAcmeDnsPostgres, randomTxt, type AcmeDnsAccount } from './support/acmedns-db';
import { startTestDaemon, testConfigToml, txtValue } from './support/daemon';
import { queryUdp, txtValues } from './support/dns-client';
import { startPostgres, type TestPostgres } from './support/postgres';
import { summaryCount, updateAs } from './support/import-cli';
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
      expect(txtValues(await queryUdp(d.dns, `${open.subdomain}.auth.example.org`, 'TXT'))).toEqual([openValue]);
      expect(await updateAs(d.api, open, txtValue('pg-import'))).toBe(200);
      expect(await updateAs(d.api, limited, txtValue('pg-import'))).toBe(401);
      expect(txtValues(await queryUdp(d.dns, `${open.subdomain}.auth.example.org`, 'TXT'))).toContain(txtValue('pg-import'));
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
      expect(await updateAs(d.api, open, txtValue('to-sqlite'))).toBe(200);
    } finally {
      await d.stop();
    }
  }, 60_000);
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
