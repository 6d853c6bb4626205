/** The key source on a real SQLite store: claim at first start, the same key for everybody, rollover steps picked up, outages ridden out. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKeySource, type KeySource } from '../src/dns/dnssec/key-source';
import { dsLine, signingKeyFromPem } from '../src/dns/dnssec/keys';
import { KeysetError, newKeysetDocument, parseKeysetDocument, serializeKeysetDocument } from '../src/dns/dnssec/keyset';
import { openSqliteStore, type Store } from '../src/store';
import { captureLogger, type CapturedLog } from './support/capture-logger';
import { until } from './support/poll';

const APEX = 'auth.example.org';
const POLL = 0.05;

let dir: string;
let file: string;
const stores: Store[] = [];
const sources: KeySource[] = [];
const open = (): Store => {
  const s = openSqliteStore({ file, txt: { keep: 4, maxAgeSeconds: 1000 }, zone: APEX });
  stores.push(s);
  return s;
};
const source = (store: Store, log: CapturedLog, algorithm: 13 | 15 = 13): KeySource => {
  const s = createKeySource({ store, algorithm, pollSeconds: POLL, apex: APEX, logger: log.logger, now: () => 1_750_000_000 });
  sources.push(s);
  return s;
};
const tagOf = (document: string): number => {
  const k = parseKeysetDocument(document).keys[0];
  return signingKeyFromPem(k?.privateKeyPem ?? '', k?.algorithm ?? 13).tag;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-keysource-'));
  file = path.join(dir, 'store.db');
});
afterEach(async () => {
  for (const s of sources.splice(0)) s.stop();
  await Promise.all(stores.splice(0).map((s) => s.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the first start generates a CSK and stores it; the next start loads the same one; both log tag and DS', async () => {
  const store = open();
  const log = captureLogger('info');
  const ring = await source(store, log).start();
  const stored = await store.getDnssecKeyset();
  expect(stored?.version).toBe(1);
  expect(parseKeysetDocument(stored?.document ?? '').keys).toMatchObject([{ algorithm: 13, role: 'active', createdAt: 1_750_000_000 }]);
  expect(ring.version).toBe(1);
  expect(ring.keys.map((k) => k.tag)).toEqual([tagOf(stored?.document ?? '')]);
  const ds = dsLine(APEX, ring.keys[0] ?? signingKeyFromPem('', 13));
  expect(log.lines.find((l) => l.msg === 'DNSSEC key generated and stored: give the parent the DS')).toMatchObject({ level: 30, tags: [ring.keys[0]?.tag], ds: [ds] });
  expect(JSON.stringify(log.lines)).not.toContain('PRIVATE KEY');

  const again = captureLogger('info');
  const second = await source(open(), again).start();
  expect(second.keys.map((k) => k.tag)).toEqual(ring.keys.map((k) => k.tag));
  expect(again.lines.find((l) => l.msg === 'DNSSEC keys loaded')).toMatchObject({ version: 1, ds: [ds] });
  await expect(store.getDnssecKeyset()).resolves.toEqual(stored);
});

test('instances starting at once on one database end up with the same key', async () => {
  const log = captureLogger('info');
  const rings = await Promise.all([open(), open(), open()].map((s) => source(s, log).start()));
  const stored = await stores[0]?.getDnssecKeyset();
  expect(rings.map((r) => r.keys.map((k) => k.tag))).toEqual(rings.map(() => [tagOf(stored?.document ?? '')]));
  // Each generated a key; one of them was stored, and only its instance says so.
  expect(log.lines.filter((l) => l.msg === 'DNSSEC key generated and stored: give the parent the DS')).toHaveLength(1);
  expect(log.lines.filter((l) => l.msg === 'DNSSEC keys loaded')).toHaveLength(2);
});

test('a new version of the key set (a rollover step) is picked up by the poll', async () => {
  const store = open();
  const log = captureLogger('info');
  const keys = source(store, log);
  const first = await keys.start();
  const rolled = { keys: [...parseKeysetDocument((await store.getDnssecKeyset())?.document ?? '').keys, ...newKeysetDocument(13, 1).keys.map((k) => ({ ...k, role: 'incoming' as const }))] };
  await expect(store.replaceDnssecKeyset(1, serializeKeysetDocument(rolled))).resolves.toBe(true);
  await until('the new key set', () => keys.current().version === 2);
  expect(keys.current().keys).toHaveLength(2);
  expect(keys.current().keys[0]?.tag).toBe(first.keys[0]?.tag);
  expect(log.lines.filter((l) => l.msg === 'DNSSEC key set changed: signing with the new keys')).toHaveLength(1);
});

test('the stored algorithm wins over the configured one, with one warning', async () => {
  const store = open();
  await source(store, captureLogger()).start();
  const log = captureLogger();
  const keys = source(open(), log, 15);
  const ring = await keys.start();
  expect(ring.keys.map((k) => k.algorithm)).toEqual([13]);
  // Another 13 key set later: still no algorithm rollover, still the one warning.
  await store.replaceDnssecKeyset(1, serializeKeysetDocument(newKeysetDocument(13, 1)));
  await until('the new key set', () => keys.current().version === 2);
  expect(log.lines.filter((l) => /algorithm differs/.test(l.msg ?? ''))).toEqual([
    expect.objectContaining({ level: 40, configured: 15, stored: [13] }),
  ]);
});

test('keeps signing with the keys in use while the store is unreachable, with one warning line', async () => {
  const log = captureLogger();
  const keys = source(open(), log);
  const ring = await keys.start();
  await stores[0]?.close();
  await log.waitFor('reading the DNSSEC key set failed; signing on with the keys in use');
  // Many polls later: still the same ring, still one line (the next would come a minute later).
  await sleep(POLL * 1000 * 10);
  expect(keys.current()).toBe(ring);
  expect(log.lines).toHaveLength(1);
});

test('a stored document that is not usable: refused at start; later, the keys in use stay until a good one comes', async () => {
  const store = open();
  await store.claimDnssecKeyset('{"keys": "not a list"}');
  await expect(source(store, captureLogger()).start()).rejects.toBeInstanceOf(KeysetError);

  await store.replaceDnssecKeyset(1, serializeKeysetDocument(newKeysetDocument(13, 1)));
  const log = captureLogger();
  const keys = source(store, log);
  const ring = await keys.start();
  await store.replaceDnssecKeyset(2, '{"keys": [{"algorithm": 13, "privateKeyPem": "garbage", "createdAt": 1, "role": "active"}]}');
  await log.waitFor('reading the DNSSEC key set failed; signing on with the keys in use');
  expect(keys.current()).toBe(ring);
  expect(JSON.stringify(log.lines[0]?.['err'])).toContain('keys.0: not a private key of algorithm 13');
  await store.replaceDnssecKeyset(3, serializeKeysetDocument(newKeysetDocument(15, 1)));
  await until('the good key set', () => keys.current().version === 4);
  expect(keys.current().keys.map((k) => k.algorithm)).toEqual([15]);
});

test('current() before start is an error; after stop() nothing more is read', async () => {
  const store = open();
  const keys = source(store, captureLogger());
  expect(() => keys.current()).toThrow('not started');
  await keys.start();
  keys.stop();
  await store.replaceDnssecKeyset(1, serializeKeysetDocument(newKeysetDocument(13, 1)));
  await sleep(POLL * 1000 * 10);
  expect(keys.current().version).toBe(1);
});
