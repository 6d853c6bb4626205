/**
 * The SQLite store caches the DNS reads (src/store/sqlite/reads.ts); these tests fill the cache
 * first, then change the database every way it can change and expect the very next read to see it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../src/core/errors';
import type { Store } from '../src/store';
import { openSqliteStore } from '../src/store';

const policy = { keep: 2, maxAgeSeconds: 100 };
const NOW = 1_700_000_000;
const SUB = 'Cache-Test';
const KEY = 'cache-test';
const ZONE = 'auth.example.org';

describe('sqlite store: cached DNS reads are never stale', () => {
  let dir: string;
  let file: string;
  let store: Store;
  let other: Database.Database;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-cache-'));
    file = path.join(dir, 'store.db');
    store = openSqliteStore({ file, txt: policy, zone: 'auth.example.org' });
    await store.createAccount({ username: 'u1', passwordHash: 'h', subdomain: SUB, allowFrom: [] });
    await store.putTxt(SUB, 'v1', NOW);
    other = new Database(file);
    other.pragma('busy_timeout = 5000');
    // Fill the cache, and check it once more from the cache.
    for (let i = 0; i < 2; i++) expect(await store.lookup(KEY, NOW)).toEqual({ values: ['v1'] });
  });
  afterEach(async () => {
    other.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const otherConnection: [string, (db: Database.Database) => void, string[] | undefined][] = [
    ['adds a value', (db) => db.prepare('INSERT INTO txt_values (subdomain_key, value, updated_at) VALUES (?, ?, ?)').run(KEY, 'v2', NOW + 1), ['v2', 'v1']],
    ['changes a value', (db) => db.prepare("UPDATE txt_values SET value = 'v9' WHERE subdomain_key = ?").run(KEY), ['v9']],
    ['deletes the values', (db) => db.prepare('DELETE FROM txt_values WHERE subdomain_key = ?').run(KEY), []],
    ['deletes the account', (db) => db.prepare('DELETE FROM accounts WHERE subdomain_key = ?').run(KEY), undefined],
  ];
  it.each(otherConnection)('another connection %s: the next lookup sees it', async (_, change, expected) => {
    change(other);
    expect(await store.lookup(KEY, NOW + 1)).toEqual(expected === undefined ? undefined : { values: expected });
  });

  it('another store on the same file (a second instance): a value it acknowledged is served next', async () => {
    const second = openSqliteStore({ file, txt: policy, zone: 'auth.example.org' });
    try {
      await second.putTxt(SUB, 'v2', NOW + 1);
      expect(await store.lookup(KEY, NOW + 1)).toEqual({ values: ['v2', 'v1'] });
    } finally {
      await second.close();
    }
  });

  const ownWrites: [string, (s: Store) => Promise<unknown>, string[] | undefined][] = [
    ['putTxt', (s) => s.putTxt(SUB, 'v2', NOW + 1), ['v2', 'v1']],
    ['putTxt past keep (prunes)', async (s) => { await s.putTxt(SUB, 'v2', NOW + 1); await s.putTxt(SUB, 'v3', NOW + 2); }, ['v3', 'v2']],
    ['removeTxt', (s) => s.removeTxt(SUB, 'v1'), []],
    ['clearTxt', (s) => s.clearTxt(SUB), []],
    ['deleteAccount', (s) => s.deleteAccount('u1'), undefined],
  ];
  it.each(ownWrites)('its own %s: the next lookup sees it', async (_, write, expected) => {
    await write(store);
    expect(await store.lookup(KEY, NOW + 2)).toEqual(expected === undefined ? undefined : { values: expected });
  });

  it('an account registered after its name was looked up (and missed) is found', async () => {
    expect(await store.lookup('later', NOW)).toBeUndefined();
    await store.createAccount({ username: 'u2', passwordHash: 'h', subdomain: 'later', allowFrom: [] });
    expect(await store.lookup('later', NOW)).toEqual({ values: [] });
  });

  it('values age out of a cached result as time passes (max_age), without any write', async () => {
    await store.putTxt(SUB, 'v2', NOW + 50);
    expect(await store.lookup(KEY, NOW + 60)).toEqual({ values: ['v2', 'v1'] });
    expect(await store.lookup(KEY, NOW + 100)).toEqual({ values: ['v2', 'v1'] });
    expect(await store.lookup(KEY, NOW + 101)).toEqual({ values: ['v2'] });
    expect(await store.lookup(KEY, NOW + 151)).toEqual({ values: [] });
  });

  it('own challenge values: published, expired, removed and changed elsewhere are all seen at once', async () => {
    const name = `_acme-challenge.${ZONE}`;
    expect(await store.challengeValues(name, NOW)).toEqual([]);
    await store.putChallenge(name, 'c2', NOW + 10);
    await store.putChallenge(name, 'c1', NOW + 20);
    expect(await store.challengeValues(name, NOW)).toEqual(['c1', 'c2']);
    expect(await store.challengeValues(name, NOW + 11)).toEqual(['c1']);
    await store.removeChallenge(name, 'c1');
    expect(await store.challengeValues(name, NOW)).toEqual(['c2']);
    other.prepare('INSERT INTO challenges (name, value, expires_at) VALUES (?, ?, ?)').run(name, 'c3', NOW + 30);
    expect(await store.challengeValues(name, NOW)).toEqual(['c2', 'c3']);
  });

  it('the zone serial: each own change and each change by another connection is seen at once', async () => {
    const first = await store.zoneSerial();
    expect(await store.zoneSerial()).toBe(first);
    await store.putTxt(SUB, 'v2', NOW + 1);
    expect(await store.zoneSerial()).toBe(first + 1);
    await store.putTxt(SUB, 'v2', NOW + 2); // a refresh: no change of content
    expect(await store.zoneSerial()).toBe(first + 1);
    await store.expireZoneValues(NOW + 1000);
    expect(await store.zoneSerial()).toBe(first + 2);
    other.prepare('UPDATE zone_state SET serial = ? WHERE id = 1').run(first + 100);
    expect(await store.zoneSerial()).toBe(first + 100);
  });

  it('a closed store does not answer from its cache', async () => {
    await store.zoneSerial();
    await store.close();
    await expect(store.zoneSerial()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.lookup(KEY, NOW)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.challengeValues(`x.${ZONE}`, NOW)).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
