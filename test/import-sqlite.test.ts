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
import { txtValue, update } from './support/api-client';
import { startTestDaemon, writeTestConfig } from './support/daemon';
import { rcodeOf, txtValues, udpQuery } from './support/dns-client';
import { summaryCount } from './support/import-cli';
import { runCli } from './support/server-process';

const DAY = 86400;
const now = (): number => Math.floor(Date.now() / 1000);

/** Every row of our store's tables, to compare before and after a re-run. */
function dump(file: string): { accounts: unknown[]; txt: { subdomain_key: string; value: string; updated_at: number }[] } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      accounts: db.prepare('SELECT username, password_hash, subdomain, allowfrom, created_at FROM accounts ORDER BY username').all(),
      txt: db.prepare('SELECT subdomain_key, value, updated_at FROM txt_values ORDER BY subdomain_key, value').all() as { subdomain_key: string; value: string; updated_at: number }[],
    };
  } finally {
    db.close();
  }
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-import-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

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
    const { config, store } = writeTestConfig(dir);

    const first = await runCli(['import', '--from', source, '-c', config]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(summaryCount(first.stdout, 'read')).toBe(accounts.length);
    expect(summaryCount(first.stdout, 'created')).toBe(accounts.length);
    expect(summaryCount(first.stdout, 'already present')).toBe(0);
    expect(summaryCount(first.stdout, 'skipped')).toBe(0);
    // One value per account except fromLoopback (never updated); two empty rows for it, one for the others.
    expect(summaryCount(first.stdout, 'imported')).toBe(accounts.length - 1);
    expect(summaryCount(first.stdout, 'empty rows')).toBe(accounts.length + 1);
    expect(first.stdout).toContain('1 value older than max_age (txt.max_age = 7 days) was imported but will not be served');
    expect(first.stdout).toContain('1 value in txt rows of no account was not imported');
    expect(first.stdout).toContain(`${unreadable.username}: allowfrom`);

    const d = await startTestDaemon({ sqliteFile: store });
    try {
      const name = (a: AcmeDnsAccount): string => `${a.subdomain}.auth.example.org`;
      expect(txtValues(await udpQuery(d.dns, { name: name(open), type: 'TXT' }))).toEqual([recent]);
      const someVolume = volume[700];
      if (!someVolume) throw new Error('no volume account');
      const volumeValue = someVolume.txt.find((t) => t.value !== '')?.value;
      expect(txtValues(await udpQuery(d.dns, { name: name(someVolume), type: 'TXT' }))).toEqual([volumeValue]);
      // Older than max_age: imported, not served; the name still exists (NODATA, not NXDOMAIN).
      const stale = await udpQuery(d.dns, { name: name(volume[0] as AcmeDnsAccount), type: 'TXT' });
      expect([rcodeOf(stale), txtValues(stale)]).toEqual(['NOERROR', []]);
      const never = await udpQuery(d.dns, { name: name(fromLoopback), type: 'TXT' });
      expect([rcodeOf(never), txtValues(never)]).toEqual(['NOERROR', []]);

      // The credentials acme-dns handed out keep working, with their allowfrom.
      const fresh = txtValue('after-import');
      expect((await update(d.api, open, fresh)).status).toBe(200);
      expect((await update(d.api, fromLoopback, fresh)).status).toBe(200);
      expect((await update(d.api, { ...open, password: fromLoopback.password }, fresh)).status).toBe(401);
      expect((await update(d.api, onlyV6, fresh)).status).toBe(401);
      expect((await update(d.api, unreadable, fresh)).status).toBe(401);
      expect(txtValues(await udpQuery(d.dns, { name: name(open), type: 'TXT' })).sort()).toEqual([fresh, recent].sort());
      expect(txtValues(await udpQuery(d.dns, { name: name(fromLoopback), type: 'TXT' }))).toEqual([fresh]);
    } finally {
      await d.stop();
    }

    // The daemon removed the value older than max_age as it started (the expiry sweep is planned
    // from the store's oldest value, so what expired while no server ran goes at once, issue 12).
    // A second run imports that value again, as the first did, and changes nothing else.
    const before = dump(store);
    expect(JSON.stringify(before)).not.toContain(old);
    const second = await runCli(['import', '--from', source, '-c', config]);
    expect(second.code).toBe(0);
    expect(summaryCount(second.stdout, 'created')).toBe(0);
    expect(summaryCount(second.stdout, 'already present')).toBe(accounts.length);
    expect(second.stdout).toContain('1 value older than max_age (txt.max_age = 7 days) was imported but will not be served');
    const after = dump(store);
    expect(after.txt.filter((r) => r.value === old)).toHaveLength(1);
    expect({ ...after, txt: after.txt.filter((r) => r.value !== old) }).toEqual(before);
  }, 60_000);

  it('reads a file made by acme-dns v0.1/v0.2 and upgraded (dead Value/LastActive columns)', async () => {
    const value = randomTxt();
    const a = await realAccount('[]', txtRows(value));
    const source = path.join(dir, 'old.db');
    writeAcmeDnsSqlite(source, [a, ...volumeAccounts(5, a.hash, () => txtRows())], { legacyV0: true });
    const { config, store } = writeTestConfig(dir);
    const r = await runCli(['import', '--from', source, '-c', config]);
    expect(r.code).toBe(0);
    expect(summaryCount(r.stdout, 'created')).toBe(6);
    // The junk in records.Value is not a value: only the txt table's one is.
    expect(summaryCount(r.stdout, 'imported')).toBe(1);
    const d = await startTestDaemon({ sqliteFile: store });
    try {
      expect(txtValues(await udpQuery(d.dns, { name: `${a.subdomain}.auth.example.org`, type: 'TXT' }))).toEqual([value]);
      expect((await update(d.api, a, txtValue('v0'))).status).toBe(200);
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
    const { config } = writeTestConfig(dir);
    const r = await runCli(['import', '--from', source, '-c', config]);
    expect(r.code).toBe(0);
    expect(summaryCount(r.stdout, 'created')).toBe(1);
    expect(summaryCount(r.stdout, 'skipped')).toBe(1);
    expect(r.stdout).toContain(`${upper.username}: subdomain "Shared-Name" differs only in case from "shared-name"`);
  });

  it('--dry-run reads and reports, and writes nothing', async () => {
    const source = path.join(dir, 'acme-dns.db');
    writeAcmeDnsSqlite(source, volumeAccounts(3, '$2a$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234', () => txtRows(randomTxt())));
    const { config, store } = writeTestConfig(dir);
    const r = await runCli(['import', '--dry-run', '--from', source, '-c', config]);
    expect(r.code).toBe(0);
    expect(summaryCount(r.stdout, 'would be imported')).toBe(3);
    expect(fs.existsSync(store)).toBe(false);
  });
});
