/**
 * The UDP reply cache (src/dns/reply-cache.ts) in the real server on a real SQLite store: a reply
 * replayed for a question asked again, or for another name of a cached NXDOMAIN's shape, is byte
 * for byte what the promise path (which never caches) builds for that exact query; and it is never
 * served after a commit, once its second is over, or for a name that exists.
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
import { buildQuery, sendUdp, txtValues, udpQuery, type QuerySpec, type Target } from './support/dns-client';

const ZONE = 'auth.example.org';
const NOW = 1_795_435_199;
/** An own name below a static-free label (`api`): `api` exists while it holds values (RFC 8020 §2). */
const OWN_BELOW = `_acme-challenge.api.${ZONE}`;
const OWN_AT_APEX = `_acme-challenge.${ZONE}`;
const RECORDS = [`${ZONE}. A 198.51.100.1`, `${ZONE}. NS ${ZONE}.`, `www.${ZONE}. A 192.0.2.7`];

let dir: string;
let clock = NOW;
const opened: Store[] = [];
const servers: DnsServer[] = [];

/** A server on `store` as daemon-dns.ts builds it, with or without the sync reads (and so the cache). */
async function serve(store: Store, withSync: boolean): Promise<Target> {
  const server = createDnsServer({
    config: { ...testConfig({ general: { records: RECORDS } }).dns, protocol: 'udp4' },
    lookup: (sub, now) => store.lookup(sub, now),
    challenges: (name, now) => store.challengeValues(name, now),
    syncReads: withSync ? store.syncReads : undefined,
    serial: () => store.zoneSerial(),
    ownChallengeNames: [OWN_BELOW, OWN_AT_APEX],
    logger: pino({ level: 'silent' }),
    now: () => clock,
  });
  servers.push(server);
  const bound = await server.start();
  return { address: '127.0.0.1', port: (bound.udp[0] as { port: number }).port };
}

async function open(name: string, maxAgeSeconds = 0): Promise<{ store: Store; file: string; cached: Target; reference: Target }> {
  const file = path.join(dir, name);
  const store = openSqliteStore({ file, txt: { keep: 2, maxAgeSeconds }, zone: ZONE });
  opened.push(store);
  return { store, file, cached: await serve(store, true), reference: await serve(store, false) };
}

/** A commit by another process (the CLI, another tool), as the cache must notice it. */
function otherProcess(file: string, sql: string): void {
  const script = `const D=require('better-sqlite3');const d=new D(process.argv[1]);d.pragma('busy_timeout = 5000');d.prepare(process.argv[2]).run();d.close();`;
  execFileSync(process.execPath, ['-e', script, file, sql], { cwd: path.resolve(__dirname, '..') });
}

let main: Awaited<ReturnType<typeof open>>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-reply-cache-'));
  main = await open('store.db');
  const { store } = main;
  await store.createAccount({ username: 'u1', passwordHash: 'h', subdomain: 'acc', allowFrom: [] });
  await store.putTxt('acc', 'LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM', NOW - 10);
  await store.putTxt('acc', 'ZJtj4MOF7ZWgYubuNjSuIWwJLUZGOv0jaIuZNMD0AVw', NOW - 5);
  await store.putChallenge(OWN_BELOW, 'own-below', NOW + 600);
  await store.putChallenge(OWN_AT_APEX, 'own-apex', NOW + 600);
});
afterAll(async () => {
  for (const s of servers) await s.stop();
  for (const s of opened) await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const edns = { udpSize: 1232 };

/**
 * `first` fills the cache; `then` must get exactly what the promise path builds for it. Each pair
 * shares a key or a shape, so a replay that kept the first query's ID or spelling, or served a
 * shape to a name that exists, fails here.
 */
const pairs: [string, QuerySpec, QuerySpec][] = [
  ['account TXT, then in 0x20 spelling', { name: `acc.${ZONE}`, edns }, { name: `AcC.AUTH.example.ORG`, edns }],
  ['account TXT without EDNS, then 0x20', { name: `acc.${ZONE}` }, { name: `ACC.${ZONE}` }],
  ['SOA, then 0x20', { name: ZONE, type: 'SOA', edns }, { name: 'Auth.Example.Org', type: 'SOA', edns }],
  ['apex NS, then 0x20', { name: ZONE, type: 'NS' }, { name: 'AUTH.EXAMPLE.ORG', type: 'NS' }],
  ['NXDOMAIN, then another name of its length', { name: `nx-aaaa.${ZONE}`, edns }, { name: `NX-bbbb.Auth.${ZONE.slice(5)}`, edns }],
  ['NXDOMAIN type A, then another name of its length', { name: `q1.${ZONE}`, type: 'A' }, { name: `q2.${ZONE}`, type: 'A' }],
  ['NXDOMAIN, then an account of its length', { name: `zzz.${ZONE}`, edns }, { name: `acc.${ZONE}`, edns }],
  ['NXDOMAIN type A, then a static name of its length', { name: `zzz.${ZONE}`, type: 'A', edns }, { name: `www.${ZONE}`, type: 'A', edns }],
  ['NXDOMAIN, then a static name of its length (NODATA)', { name: `yyy.${ZONE}` }, { name: `WWW.${ZONE}` }],
  ['NXDOMAIN, then the name above own values (NODATA)', { name: `xxx.${ZONE}`, edns }, { name: `api.${ZONE}`, edns }],
  ['NXDOMAIN, then the own challenge name at the apex', { name: `abcdefghijklmno.${ZONE}`, edns }, { name: `_ACME-challenge.${ZONE}`, edns }],
  ['NXDOMAIN, then a name below an account', { name: `nx-c.${ZONE}` }, { name: `x.acc.${ZONE}` }],
  ['REFUSED outside the zone, then 0x20', { name: 'example.com', type: 'A' }, { name: 'EXAMPLE.com', type: 'A' }],
  ['class CH, then 0x20', { name: ZONE, type: 'TXT', klass: 3 }, { name: ZONE.toUpperCase(), type: 'TXT', klass: 3 }],
];

test.each(pairs)('%s: the promise path bytes', async (_what, first, then) => {
  const query = buildQuery(then);
  await udpQuery(main.cached, first);
  await udpQuery(main.cached, first);
  const [cached, reference] = await Promise.all([sendUdp(main.cached, query), sendUdp(main.reference, query)]);
  expect(reference).toBeDefined();
  expect(cached?.toString('hex')).toBe(reference?.toString('hex'));
});

test('a replay carries the asker ID', async () => {
  const a = buildQuery({ name: ZONE, type: 'SOA', id: 0x1111 });
  const b = buildQuery({ name: ZONE, type: 'SOA', id: 0x2222 });
  await sendUdp(main.cached, a);
  expect((await sendUdp(main.cached, b))?.readUInt16BE(0)).toBe(0x2222);
});

describe('never stale', () => {
  test('a value written by another process is served by the next query', async () => {
    const name = `acc.${ZONE}`;
    await udpQuery(main.cached, { name });
    otherProcess(main.file, `INSERT INTO txt_values (subdomain_key, value, updated_at) VALUES ('acc', 'from-another-process', ${NOW})`);
    expect(txtValues(await udpQuery(main.cached, { name }))).toContain('from-another-process');
  });

  test('an account created by another process is answered at once, though its shape was cached as NXDOMAIN', async () => {
    expect((await udpQuery(main.cached, { name: `qqqq1.${ZONE}` })).rcode).toBe(3);
    otherProcess(main.file, "INSERT INTO accounts (username, password_hash, subdomain, subdomain_key, allowfrom, created_at) VALUES ('u9', 'h', 'qqqq2', 'qqqq2', '[]', 0)");
    expect((await udpQuery(main.cached, { name: `qqqq2.${ZONE}` })).rcode).toBe(0);
    expect((await udpQuery(main.cached, { name: `qqqq3.${ZONE}` })).rcode).toBe(3);
  });

  /** The serial of the SOA the cached server answers now. */
  const serial = async (): Promise<number> =>
    ((await udpQuery(main.cached, { name: ZONE, type: 'SOA' })).packet.answers?.[0] as { data: { serial: number } }).data.serial;

  test('the SOA carries the serial of a write made through the store', async () => {
    const before = await serial();
    await main.store.putTxt('acc', 'through-the-store', NOW);
    expect(await serial()).toBe(before + 1);
  });

  test('a run of one question (replayed from the last reply, compared in place) sees every change at once', async () => {
    const name = `acc.${ZONE}`;
    const run = async (spec: QuerySpec): Promise<void> => {
      for (let i = 0; i < 4; i++) await udpQuery(main.cached, i % 2 === 0 ? spec : { ...spec, name: spec.name.toUpperCase() });
    };
    await run({ name, edns });
    otherProcess(main.file, `INSERT INTO txt_values (subdomain_key, value, updated_at) VALUES ('acc', 'run-of-one', ${NOW})`);
    expect(txtValues(await udpQuery(main.cached, { name, edns }))).toContain('run-of-one');
    await run({ name: ZONE, type: 'SOA' });
    const before = await serial();
    await main.store.putTxt('acc', 'run-of-one-again', NOW);
    expect(await serial()).toBe(before + 1);
  });

  test('a value that ages out is not replayed in a later second, after a run of its question', async () => {
    const aged = await open('aged-run.db', 100);
    await aged.store.createAccount({ username: 'a1', passwordHash: 'h', subdomain: 'old', allowFrom: [] });
    await aged.store.putTxt('old', 'about-to-age-out', NOW - 100);
    try {
      for (let i = 0; i < 4; i++) expect(txtValues(await udpQuery(aged.cached, { name: `old.${ZONE}` }))).toEqual(['about-to-age-out']);
      clock = NOW + 1;
      expect(txtValues(await udpQuery(aged.cached, { name: `old.${ZONE}` }))).toEqual([]);
    } finally {
      clock = NOW;
    }
  });

  test('a value that ages out is not replayed in a later second', async () => {
    const aged = await open('aged.db', 100);
    await aged.store.createAccount({ username: 'a1', passwordHash: 'h', subdomain: 'old', allowFrom: [] });
    await aged.store.putTxt('old', 'about-to-age-out', NOW - 100);
    const query = buildQuery({ name: `old.${ZONE}` });
    try {
      expect(txtValues(await udpQuery(aged.cached, { name: `old.${ZONE}` }))).toEqual(['about-to-age-out']);
      clock = NOW + 1;
      const [cached, reference] = await Promise.all([sendUdp(aged.cached, query), sendUdp(aged.reference, query)]);
      expect(cached?.toString('hex')).toBe(reference?.toString('hex'));
      expect(txtValues(await udpQuery(aged.cached, { name: `old.${ZONE}` }))).toEqual([]);
    } finally {
      clock = NOW;
    }
  });
});
