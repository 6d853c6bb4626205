/**
 * The SQLite store's synchronous DNS path (Store.syncReads: UDP answered in the turn the datagram
 * arrives, one change check per query): byte for byte the promise path's answers, never stale
 * after another connection's or another process's commit, SERVFAIL when the store is gone.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createDnsServer, type DnsServer } from '../src/dns';
import type { Store } from '../src/store';
import { openSqliteStore } from '../src/store';
import { testConfig } from './support/config';
import { buildQuery, header, sendUdp, udpQuery, txtValues, type QuerySpec, type Target, wireName } from './support/dns-client';

const ZONE = 'auth.example.org';
const SUB = 'd420c923-bbd7-4056-ab64-c3ca54c9b3cf';
const NOW = 1_795_435_199;
const OWN = `_acme-challenge.${ZONE}`;

let dir: string;
let file: string;
let store: Store;
let sync: DnsServer;
let promises: DnsServer;
let syncAt: Target;
let promiseAt: Target;

/** A server on `store` like the daemon builds it (daemon-dns.ts), with or without the sync reads. */
async function serve(s: Store, withSync: boolean): Promise<{ server: DnsServer; at: Target }> {
  const server = createDnsServer({
    config: { ...testConfig().dns, protocol: 'udp4' },
    lookup: (sub, now) => s.lookup(sub, now),
    challenges: (name, now) => s.challengeValues(name, now),
    syncReads: withSync ? s.syncReads : undefined,
    serial: () => s.zoneSerial(),
    ownChallengeNames: [OWN],
    logger: pino({ level: 'silent' }),
    now: () => NOW,
  });
  const bound = await server.start();
  return { server, at: { address: '127.0.0.1', port: (bound.udp[0] as { port: number }).port } };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-sync-'));
  file = path.join(dir, 'store.db');
  store = openSqliteStore({ file, txt: { keep: 2, maxAgeSeconds: 0 }, zone: ZONE });
  await store.createAccount({ username: 'u1', passwordHash: 'h', subdomain: SUB, allowFrom: [] });
  await store.createAccount({ username: 'u2', passwordHash: 'h', subdomain: 'empty', allowFrom: [] });
  await store.putTxt(SUB, 'LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM', NOW - 10);
  await store.putTxt(SUB, 'ZJtj4MOF7ZWgYubuNjSuIWwJLUZGOv0jaIuZNMD0AVw', NOW - 5);
  await store.putChallenge(OWN, 'own-value', NOW + 600);
  ({ server: sync, at: syncAt } = await serve(store, true));
  ({ server: promises, at: promiseAt } = await serve(store, false));
});
afterAll(async () => {
  await sync.stop();
  await promises.stop();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const edns = { udpSize: 1232 };
const queries: [string, Buffer][] = [
  ['account TXT', buildQuery({ name: `${SUB}.${ZONE}`, edns })],
  ['account TXT, 0x20 spelling', buildQuery({ name: `${SUB.toUpperCase()}.AuTh.ExAmple.org`, edns })],
  ['account TXT without EDNS', buildQuery({ name: `${SUB}.${ZONE}` })],
  ['account TXT with DO', buildQuery({ name: `${SUB}.${ZONE}`, edns: { udpSize: 4096, dnssecOk: true } })],
  ['account, type A: NODATA', buildQuery({ name: `${SUB}.${ZONE}`, type: 'A', edns })],
  ['account without values', buildQuery({ name: `empty.${ZONE}`, edns })],
  ['NXDOMAIN', buildQuery({ name: `nx-5f3a9c.${ZONE}`, edns })],
  ['below an account: NXDOMAIN', buildQuery({ name: `x.${SUB}.${ZONE}` })],
  ['own challenge value', buildQuery({ name: OWN.toUpperCase(), edns })],
  ['SOA', buildQuery({ name: ZONE, type: 'SOA', edns })],
  ['apex A', buildQuery({ name: 'Auth.Example.Org', type: 'A' })],
  ['apex NS', buildQuery({ name: ZONE, type: 'NS', edns })],
  ['ANY at the apex', buildQuery({ name: ZONE, type: 'ANY' })],
  ['outside the zone: REFUSED', buildQuery({ name: 'example.com', type: 'A' })],
  ['class CH: REFUSED', buildQuery({ name: ZONE, type: 'TXT', klass: 3 })],
  ['EDNS version 1: BADVERS', buildQuery({ name: ZONE, type: 'SOA', edns: { udpSize: 1232, version: 1 } })],
  ['opcode STATUS: NOTIMP', buildQuery({ name: ZONE, type: 'SOA', opcode: 2 })],
  ['two questions: FORMERR', Buffer.concat([header(7, 0, [2, 0, 0, 0]), wireName(ZONE), Buffer.from([0, 6, 0, 1]), wireName(ZONE), Buffer.from([0, 6, 0, 1])])],
  ['truncated question: FORMERR', Buffer.concat([header(8, 0, [1, 0, 0, 0]), wireName(ZONE).subarray(0, 5)])],
  ['AXFR over UDP', buildQuery({ name: ZONE, type: 252 })],
];

test.each(queries)('%s: the same bytes as the promise path', async (_what, query) => {
  const [viaSync, viaPromises] = await Promise.all([sendUdp(syncAt, query), sendUdp(promiseAt, query)]);
  expect(viaPromises).toBeDefined();
  expect(viaSync?.toString('hex')).toBe(viaPromises?.toString('hex'));
});

test('a response or a header-less datagram: dropped on both paths', async () => {
  const response = buildQuery({ name: ZONE, type: 'SOA' });
  response.writeUInt16BE(0x8000, 2);
  for (const msg of [response, Buffer.from([1, 2, 3])]) {
    expect(await sendUdp(syncAt, msg, 300)).toBeUndefined();
  }
  // Still answering.
  expect((await udpQuery(syncAt, { name: ZONE, type: 'SOA' })).rcode).toBe(0);
});

describe('never stale: a commit completed before the query is seen by it', () => {
  const ask = async (spec: QuerySpec): Promise<string[]> => txtValues(await udpQuery(syncAt, spec));
  const name = `${SUB}.${ZONE}`;

  test('another process adds a value, then exits: the next query serves it', async () => {
    await ask({ name }); // cached
    const script =
      "const D=require('better-sqlite3');const d=new D(process.argv[1]);d.pragma('busy_timeout = 5000');" +
      "d.prepare('INSERT INTO txt_values (subdomain_key, value, updated_at) VALUES (?, ?, ?)').run(process.argv[2], 'from-another-process', Number(process.argv[3]));d.close();";
    execFileSync(process.execPath, ['-e', script, file, SUB, String(NOW)], { cwd: path.resolve(__dirname, '..') });
    expect(await ask({ name })).toContain('from-another-process');
  });

  test('this process writes through the store: the next query serves it; the SOA carries the new serial', async () => {
    const soa = async (): Promise<number> => {
      const r = await udpQuery(syncAt, { name: ZONE, type: 'SOA' });
      const data = (r.packet.answers?.[0] as { data: { serial: number } }).data;
      return data.serial;
    };
    const before = await soa();
    await ask({ name });
    await store.putTxt(SUB, 'own-write', NOW + 1);
    expect(await ask({ name })).toContain('own-write');
    expect(await soa()).toBe(before + 1);
  });

  test('another process creates an account: its name stops being NXDOMAIN at once', async () => {
    const fresh = `${ZONE}`.replace(/^/, 'newacct.');
    expect((await udpQuery(syncAt, { name: fresh })).rcode).toBe(3);
    const script =
      "const D=require('better-sqlite3');const d=new D(process.argv[1]);d.pragma('busy_timeout = 5000');" +
      "d.prepare(\"INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, allowfrom, created_at) VALUES ('u3', 'h', 'newacct', 'newacct', '[]', 0)\").run();d.close();";
    execFileSync(process.execPath, ['-e', script, file], { cwd: path.resolve(__dirname, '..') });
    expect((await udpQuery(syncAt, { name: fresh })).rcode).toBe(0);
  });

  /** Runs `body` (JavaScript with `d`, a better-sqlite3 connection to the store's file) in another process. */
  const other = (body: string): void => {
    const script = `const D=require('better-sqlite3');const d=new D(process.argv[1]);d.pragma('busy_timeout = 5000');${body}d.close();`;
    execFileSync(process.execPath, ['-e', script, file], { cwd: path.resolve(__dirname, '..') });
  };

  // SQLite gives a new row max(rowid) + 1, so one created after the newest was deleted takes its
  // rowid: the in-memory index must not follow accounts by rowid (it follows 007's log of names).
  test('another process deletes the newest account and creates one in its rowid: the new name is answered at once', async () => {
    const insert = (sub: string): string =>
      `d.prepare("INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, allowfrom, created_at) VALUES ('${sub}', 'h', '${sub}', '${sub}', '[]', 0)").run();`;
    other(insert('newest'));
    expect((await udpQuery(syncAt, { name: `newest.${ZONE}` })).rcode).toBe(0);
    expect((await udpQuery(syncAt, { name: `reuser.${ZONE}` })).rcode).toBe(3);
    other(`d.prepare("DELETE FROM accounts WHERE username = 'newest'").run();${insert('reuser')}`);
    expect((await udpQuery(syncAt, { name: `reuser.${ZONE}` })).rcode).toBe(0);
    expect((await udpQuery(syncAt, { name: `newest.${ZONE}` })).rcode).toBe(3);
  });

  test('another process removes a value, renames the account, deletes it: each next query sees it', async () => {
    const renamed = 'e4f0a2b1-3c5d-4e6f-8a7b-9c0d1e2f3a4b';
    await store.putTxt(SUB, 'to-remove', NOW + 2);
    expect(await ask({ name })).toContain('to-remove');
    other(`d.prepare("DELETE FROM txt_values WHERE value = 'to-remove'").run();`);
    expect(await ask({ name })).not.toContain('to-remove');
    other(`d.prepare("UPDATE accounts SET subdomain_key = '${renamed}' WHERE subdomain_key = '${SUB}'").run();`);
    expect((await udpQuery(syncAt, { name })).rcode).toBe(3);
    expect((await udpQuery(syncAt, { name: `${renamed}.${ZONE}` })).rcode).toBe(0);
    other(`d.prepare("DELETE FROM accounts WHERE subdomain_key = '${renamed}'").run();`);
    expect((await udpQuery(syncAt, { name: `${renamed}.${ZONE}` })).rcode).toBe(3);
  });
});

test('a reply replayed across seconds ends at the second a value in it ages out, not later (issue 12)', async () => {
  const aging = openSqliteStore({ file: path.join(dir, 'aging.db'), txt: { keep: 2, maxAgeSeconds: 30 }, zone: ZONE });
  let clock = NOW;
  const server = createDnsServer({
    config: { ...testConfig().dns, protocol: 'udp4' },
    lookup: (sub, now) => aging.lookup(sub, now),
    challenges: (name, now) => aging.challengeValues(name, now),
    syncReads: aging.syncReads,
    serial: () => aging.zoneSerial(),
    ownChallengeNames: [OWN],
    logger: pino({ level: 'silent' }),
    now: () => clock,
  });
  try {
    await aging.createAccount({ username: 'u', passwordHash: 'h', subdomain: SUB, allowFrom: [] });
    await aging.putTxt(SUB, 'older-served-up-to-now-plus-10', NOW - 20);
    await aging.putTxt(SUB, 'newer-served-up-to-now-plus-30', NOW);
    await aging.putChallenge(OWN, 'own-served-up-to-now-plus-5', NOW + 5);
    const bound = await server.start();
    const at = { address: '127.0.0.1', port: (bound.udp[0] as { port: number }).port };
    const account = async (): Promise<string[]> => (await txtValues(await udpQuery(at, { name: `${SUB}.${ZONE}` }))).sort();
    const own = async (): Promise<string[]> => txtValues(await udpQuery(at, { name: OWN }));
    const both = ['newer-served-up-to-now-plus-30', 'older-served-up-to-now-plus-10'];
    // Each second asked twice: the second answer is the replayed one.
    for (const [t, values, ownValues] of [
      [NOW, both, ['own-served-up-to-now-plus-5']],
      [NOW + 5, both, ['own-served-up-to-now-plus-5']],
      [NOW + 6, both, []],
      [NOW + 10, both, []],
      [NOW + 11, ['newer-served-up-to-now-plus-30'], []],
      [NOW + 30, ['newer-served-up-to-now-plus-30'], []],
      [NOW + 31, [], []],
    ] as const) {
      clock = t;
      for (let i = 0; i < 2; i++) {
        expect([t - NOW, await account()]).toEqual([t - NOW, values]);
        expect([t - NOW, await own()]).toEqual([t - NOW, ownValues]);
      }
    }
  } finally {
    await server.stop();
    await aging.close();
  }
});

test('the store closed: account queries SERVFAIL, the static SOA keeps its last serial', async () => {
  const second = openSqliteStore({ file, txt: { keep: 2, maxAgeSeconds: 0 }, zone: ZONE });
  const { server, at } = await serve(second, true);
  try {
    const serial = (await udpQuery(at, { name: ZONE, type: 'SOA' })).packet.answers?.[0];
    await second.close();
    expect((await udpQuery(at, { name: `${SUB}.${ZONE}` })).rcode).toBe(2);
    expect((await udpQuery(at, { name: `nx-1.${ZONE}` })).rcode).toBe(2);
    const after = await udpQuery(at, { name: ZONE, type: 'SOA' });
    expect(after.rcode).toBe(0);
    expect(after.packet.answers?.[0]).toEqual(serial);
  } finally {
    await server.stop();
  }
});

test('a store opened through a symlink: syncReads still see another connection commit at the next query', async () => {
  const real = path.join(dir, 'real.db');
  const link = path.join(dir, 'link.db');
  const linked = openSqliteStore({ file: real, txt: { keep: 2, maxAgeSeconds: 0 }, zone: ZONE });
  await linked.close();
  fs.symlinkSync(real, link);
  const s = openSqliteStore({ file: link, txt: { keep: 2, maxAgeSeconds: 0 }, zone: ZONE });
  const reads = s.syncReads;
  try {
    await s.createAccount({ username: 'l1', passwordHash: 'h', subdomain: 'linked', allowFrom: [] });
    if (reads === undefined) throw new Error('the SQLite store has syncReads');
    reads.begin();
    expect(reads.lookup('linked', NOW)).toEqual({ values: [] });
    const script =
      "const D=require('better-sqlite3');const d=new D(process.argv[1]);d.pragma('busy_timeout = 5000');" +
      "d.prepare(\"INSERT INTO txt_values (subdomain_key, value, updated_at) VALUES ('linked', 'v', 1)\").run();d.close();";
    execFileSync(process.execPath, ['-e', script, real], { cwd: path.resolve(__dirname, '..') });
    reads.begin();
    expect(reads.lookup('linked', NOW)).toEqual({ values: ['v'] });
  } finally {
    await s.close();
  }
});
