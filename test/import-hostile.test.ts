/**
 * `acmedns import` of a hostile acme-dns SQLite file (issue 8, items 12 and 15), through the built
 * binary: impossible LastUpdate times, a 200,000-range allowfrom, names with terminal escapes and
 * of 5,000 characters. Each row has an exact outcome; afterwards `accounts list/show` and `audit`
 * still work, in text and JSON, and every imported account has exactly one audit entry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { txtValue, update } from './support/api-client';
import { randomTxt, realAccount, txtRows, volumeAccounts, writeAcmeDnsSqlite, type AcmeDnsAccount } from './support/acmedns-db';
import { startTestDaemon, writeTestConfig } from './support/daemon';
import { summaryCount } from './support/import-cli';
import { runCli } from './support/server-process';

const HASH = '$2a$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234';
const ESC = '\x1b[31mred\x1b[0m\x07\r';
const ESCAPED = '\\x1b[31mred\\x1b[0m\\x07\\x0d';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-import-hostile-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** One row of our store (SQLite), read straight from the file. */
function storeRow<T>(file: string, sql: string, ...params: unknown[]): T {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).get(...params) as T;
  } finally {
    db.close();
  }
}

function storeExec(file: string, sql: string, ...params: unknown[]): void {
  const db = new Database(file);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/** Accounts with fake hashes (distinct: records.Password is UNIQUE), one per hostile row. */
function rows(n: number): AcmeDnsAccount[] {
  return volumeAccounts(n, HASH, () => txtRows());
}

describe('acmedns import of a hostile acme-dns SQLite file', () => {
  it('LastUpdate 1e300, NaN and in the future: clamped, reported, and list/show/audit work after', async () => {
    const [far, nan, ahead, text] = rows(4) as [AcmeDnsAccount, AcmeDnsAccount, AcmeDnsAccount, AcmeDnsAccount];
    const values = { far: randomTxt(), nan: randomTxt(), ahead: randomTxt(), text: randomTxt() };
    const source = path.join(dir, 'acme-dns.db');
    writeAcmeDnsSqlite(source, [
      { ...far, txt: [{ value: values.far, lastUpdate: 1e300 }] },
      // SQLite stores NaN as NULL; a REAL infinity stays one: both are "no time".
      { ...nan, txt: [{ value: values.nan, lastUpdate: Number.POSITIVE_INFINITY }] },
      { ...ahead, txt: [{ value: values.ahead, lastUpdate: Math.floor(Date.now() / 1000) + 10 * 365 * 86400 }] },
      { ...text, txt: [{ value: values.text, lastUpdate: Number.NaN }] },
    ]);
    const { config, store } = writeTestConfig(dir);
    const before = Math.floor(Date.now() / 1000);
    const r = await runCli(['import', '--from', source, '-c', config]);
    const after = Math.floor(Date.now() / 1000);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(summaryCount(r.stdout, 'created')).toBe(4);
    expect(summaryCount(r.stdout, 'imported')).toBe(4);
    expect(r.stdout).toContain('3 × TXT values with an impossible LastUpdate: imported with the time clamped');
    expect(r.stdout).toContain(`${far.username}: LastUpdate "1e+300" of ${values.far} is later than the import: imported as updated now`);
    expect(r.stdout).toContain(`${nan.username}: LastUpdate "Infinity" of ${values.nan} is not a time: imported as never updated (0)`);
    expect(r.stdout).toContain(`${ahead.username}: LastUpdate "`);

    const time = (value: string): number => storeRow<{ t: number }>(store, 'SELECT updated_at AS t FROM txt_values WHERE value = ?', value).t;
    for (const v of [values.far, values.ahead]) {
      expect(time(v)).toBeGreaterThanOrEqual(before);
      expect(time(v)).toBeLessThanOrEqual(after);
    }
    expect(time(values.nan)).toBe(0);
    // NULL (what SQLite made of NaN) is acme-dns's "never updated": 0, and no issue.
    expect(time(values.text)).toBe(0);

    // A store that already holds such a time (imported before this fix): nothing throws.
    storeExec(store, 'UPDATE txt_values SET updated_at = 1e300 WHERE value = ?', values.far);
    const list = await runCli(['accounts', 'list', '-c', config]);
    expect([list.code, list.stderr]).toEqual([0, '']);
    expect(list.stdout).toContain('invalid time (1e+300)');
    const listJson = await runCli(['accounts', 'list', '--json', '-c', config]);
    expect(listJson.code).toBe(0);
    const parsed = JSON.parse(listJson.stdout) as { username: string; lastUpdate: string | null }[];
    expect(parsed).toHaveLength(4);
    expect(parsed.find((a) => a.username === far.username)?.lastUpdate).toBeNull();
    const show = await runCli(['accounts', 'show', far.username, '-c', config]);
    expect([show.code, show.stderr]).toEqual([0, '']);
    expect(show.stdout).toContain('last update: invalid time (1e+300)');
    const showJson = await runCli(['accounts', 'show', far.username, '--json', '-c', config]);
    expect(showJson.code).toBe(0);
    expect(JSON.parse(showJson.stdout)).toMatchObject({ username: far.username, lastUpdate: null, txt: [values.far] });
  }, 60_000);

  it('an allowfrom of 200,000 ranges: imported locked, said so, and an update on it is refused cheaply', async () => {
    const huge = Array.from({ length: 200_000 }, (_, i) => `${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`);
    const locked = await realAccount(JSON.stringify(['127.0.0.0/8', ...huge]));
    const fine = await realAccount(JSON.stringify(['127.0.0.0/8', 'not-a-cidr']), txtRows(randomTxt()));
    const source = path.join(dir, 'acme-dns.db');
    writeAcmeDnsSqlite(source, [locked, fine]);
    const { config, store } = writeTestConfig(dir);
    const r = await runCli(['import', '--from', source, '-c', config]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(summaryCount(r.stdout, 'created')).toBe(2);
    expect(r.stdout).toContain('1 × imported locked: their allowfrom holds more ranges than one account may have');
    expect(r.stdout).toContain(
      `${locked.username}: allowfrom holds 200001 ranges, more than 100: imported locked (allowfrom ["0.0.0.0/32","::/128"])`,
    );
    expect(r.stdout).toContain(`${fine.username}: 1 allowfrom entry is not a CIDR ("not-a-cidr"): dropped, as acme-dns ignored them`);
    const allow = (username: string): string => storeRow<{ a: string }>(store, 'SELECT allowfrom AS a FROM accounts WHERE username = ?', username).a;
    // What every request reads and checks: two ranges, not 200,001.
    expect(allow(locked.username)).toBe('["0.0.0.0/32","::/128"]');
    expect(allow(fine.username)).toBe('["127.0.0.0/8"]');

    const d = await startTestDaemon({ sqliteFile: store });
    try {
      expect((await update(d.api, locked, txtValue('locked'))).status).toBe(401);
      expect((await update(d.api, fine, txtValue('fine'))).status).toBe(200);
    } finally {
      await d.stop();
    }
  }, 60_000);

  it('names with terminal escapes and of 5,000 characters: escaped and cut in the summary and the listing', async () => {
    const [badUser, badSub, longSub, listed] = rows(4) as [AcmeDnsAccount, AcmeDnsAccount, AcmeDnsAccount, AcmeDnsAccount];
    const source = path.join(dir, 'acme-dns.db');
    writeAcmeDnsSqlite(source, [
      { ...badUser, username: `${ESC}admin` },
      { ...badSub, subdomain: `${ESC}sub` },
      { ...longSub, subdomain: 'y'.repeat(5000) },
      listed,
    ]);
    const { config, store } = writeTestConfig(dir);
    const r = await runCli(['import', '--from', source, '-c', config]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(summaryCount(r.stdout, 'created')).toBe(1);
    expect(summaryCount(r.stdout, 'skipped')).toBe(3);
    expect(r.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(r.stdout).toContain(`  ${ESCAPED}admin: username is not a UUID`);
    expect(r.stdout).toContain(`${badSub.username}: subdomain "${ESCAPED}sub" is not a DNS label`);
    expect(r.stdout).toContain(`${longSub.username}: subdomain "${'y'.repeat(80)}…(4920 more)" is not a DNS label`);
    expect(r.stdout).not.toContain('y'.repeat(81));

    // A store edited by hand (or by an older import): the listing escapes and cuts too.
    storeExec(store, 'UPDATE accounts SET subdomain = ?, allowfrom = ? WHERE username = ?', `${ESC}${'z'.repeat(5000)}`, JSON.stringify([`${ESC}`]), listed.username);
    const list = await runCli(['accounts', 'list', '-c', config]);
    expect([list.code, list.stderr]).toEqual([0, '']);
    expect(list.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(list.stdout).toContain(`${ESCAPED}${'z'.repeat(80 - ESC.length)}…(${ESC.length + 5000 - 80} more)`);
    const json = await runCli(['accounts', 'list', '--json', '-c', config]);
    // JSON keeps the name whole (JSON escapes control characters itself).
    expect((JSON.parse(json.stdout) as { subdomain: string }[])[0]?.subdomain).toBe(`${ESC}${'z'.repeat(5000)}`);
  }, 60_000);

  it('one account.imported audit entry per account created; a second run adds none', async () => {
    const accounts = volumeAccounts(30, HASH, (i) => txtRows(i % 3 === 0 ? randomTxt() : undefined));
    const source = path.join(dir, 'acme-dns.db');
    // Index 30 of the same series: a hash distinct from the 30 above (records.Password is UNIQUE).
    writeAcmeDnsSqlite(source, [...accounts, { ...(volumeAccounts(31, HASH, () => txtRows())[30] as AcmeDnsAccount), username: 'not-a-uuid' }]);
    const { config } = writeTestConfig(dir);
    const first = await runCli(['import', '--from', source, '-c', config]);
    expect(summaryCount(first.stdout, 'created')).toBe(30);
    const audit = async (): Promise<{ action: string; username: string; actor: string; detail: { allowfrom: string[]; values: number } }[]> => {
      const r = await runCli(['audit', '--json', '-c', config]);
      expect([r.code, r.stderr]).toEqual([0, '']);
      return JSON.parse(r.stdout) as { action: string; username: string; actor: string; detail: { allowfrom: string[]; values: number } }[];
    };
    const entries = await audit();
    expect(entries).toHaveLength(30);
    expect(new Set(entries.map((e) => e.action))).toEqual(new Set(['account.imported']));
    expect(entries.map((e) => e.username).sort()).toEqual(accounts.map((a) => a.username).sort());
    expect(entries.every((e) => e.actor === 'cli')).toBe(true);
    expect(entries.filter((e) => e.detail.values === 1)).toHaveLength(10);
    const text = await runCli(['audit', '-c', config]);
    expect(text.stdout.split('\n').filter((l) => / account\.imported /.test(l))).toHaveLength(30);

    const second = await runCli(['import', '--from', source, '-c', config]);
    expect(summaryCount(second.stdout, 'already present')).toBe(30);
    expect(await audit()).toHaveLength(30);
  }, 60_000);
});
