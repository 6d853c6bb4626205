/**
 * Repeated UDP questions replayed on the promise path (src/dns/async-replay.ts) over a real
 * PostgreSQL: two stores on one database stand for two instances. A repeated question is answered
 * without a lookup, in any 0x20 spelling, byte for byte as the first answer but the ID; a write
 * acknowledged by the other instance is in the very next answer; without the store's generation
 * read every question is answered anew.
 */
import pino from 'pino';
import { createDnsServer, type DnsServer } from '../src/dns';
import { openPostgresStore, type Store } from '../src/store';
import { testConfig } from './support/config';
import dgram from 'node:dgram';
import { buildQuery, mixedCase, sendUdp, txtValues, udpQuery, type QuerySpec, type Target } from './support/dns-client';
import { startPostgres, type TestPostgres } from './support/postgres';
import { account, TEST_ZONE, txt } from './support/store-contract';

const policy = { keep: 4, maxAgeSeconds: 0 };
const pool = { connectionTimeoutMs: 2000, readTimeoutMs: 2000, writeTimeoutMs: 4000 };

let pg: TestPostgres;
let served: Store;
let other: Store;
const servers: DnsServer[] = [];
let subdomain: string;
let username: string;
/** Lookups the served store made for the DNS server. */
let lookups = 0;
/**
 * The servers' clock (seconds), fixed: a kept answer holds for its second only, so on the real
 * clock a repeat that falls in the next second is rightly answered anew, and the first test
 * failed whenever its queries straddled a second boundary.
 */
const clock = Math.floor(Date.now() / 1000) + 0.5;

const RECORDS = [`${TEST_ZONE}. NS ${TEST_ZONE}.`, `www.${TEST_ZONE}. A 192.0.2.7`];

async function serve(withGeneration: boolean, readGeneration = served.readGeneration): Promise<Target> {
  const server = createDnsServer({
    config: { ...testConfig({ general: { records: RECORDS } }).dns, protocol: 'udp4' },
    lookup: (sub, now) => (lookups++, served.lookup(sub, now)),
    challenges: (name, now) => served.challengeValues(name, now),
    serial: () => served.zoneSerial(),
    now: () => clock,
    readGeneration: withGeneration ? readGeneration : undefined,
    ownChallengeNames: [`_acme-challenge.${TEST_ZONE}`],
    logger: pino({ level: 'silent' }),
  });
  servers.push(server);
  const bound = await server.start();
  return { address: '127.0.0.1', port: (bound.udp[0] as { port: number }).port };
}

beforeAll(async () => {
  pg = await startPostgres();
  const connection = await pg.createDatabase();
  served = await openPostgresStore({ connection, txt: policy, zone: TEST_ZONE, pool });
  other = await openPostgresStore({ connection, txt: policy, zone: TEST_ZONE, pool });
  const a = account({ subdomain: 'c0ffee00-1111-4222-8333-444455556666' });
  subdomain = a.subdomain;
  username = a.username;
  await other.createAccount(a);
  await other.putTxt(subdomain, txt('first'), Math.floor(Date.now() / 1000));
}, 120_000);
afterAll(async () => {
  for (const s of servers) await s.stop();
  await served?.close();
  await other?.close();
  await pg?.destroy();
});

test('a repeated question is replayed without a lookup, in any spelling, the same bytes but the ID', async () => {
  const at = await serve(true);
  const spec: QuerySpec = { name: `${subdomain}.${TEST_ZONE}`, edns: { udpSize: 1232 } };
  const first = await sendUdp(at, buildQuery({ ...spec, id: 1 }));
  const before = lookups;
  const again = await sendUdp(at, buildQuery({ ...spec, id: 2 }));
  const spelled = await sendUdp(at, buildQuery({ ...spec, name: mixedCase(spec.name), id: 3 }));
  expect(lookups - before).toBe(0);
  expect(again?.subarray(2).toString('hex')).toBe(first?.subarray(2).toString('hex'));
  expect(again?.readUInt16BE(0)).toBe(2);
  // The asker's spelling in the question, nothing else changed.
  expect(spelled?.subarray(12).toString('latin1').toLowerCase()).toBe(first?.subarray(12).toString('latin1').toLowerCase());
  expect(spelled?.toString('latin1')).toContain(mixedCase(subdomain));
});

test('static data never waits for the generation read (a database that hangs holds up account names only)', async () => {
  // Settled only when the test ends, so a query that did wait lets the server stop afterwards.
  let release: (generation: number) => void = () => undefined;
  const hung = new Promise<number>((resolve) => (release = resolve));
  const at = await serve(true, () => hung);
  try {
    const www = await udpQuery(at, { name: `www.${TEST_ZONE}`, type: 'A' });
    expect(www.rcode).toBe(0);
    expect(www.packet.answers?.[0]).toMatchObject({ type: 'A', data: '192.0.2.7' });
    const ns = await udpQuery(at, { name: mixedCase(TEST_ZONE), type: 'NS' });
    expect(ns.packet.answers?.[0]).toMatchObject({ type: 'NS' });
  } finally {
    release(0);
  }
});

test('without the store\'s generation read, every question is answered anew', async () => {
  const at = await serve(false);
  const spec: QuerySpec = { name: `${subdomain}.${TEST_ZONE}`, edns: { udpSize: 1200 } };
  await udpQuery(at, spec);
  const before = lookups;
  await udpQuery(at, spec);
  await udpQuery(at, spec);
  expect(lookups - before).toBe(2);
});

test('a write and a deletion acknowledged by the other instance are in the next answer', async () => {
  const at = await serve(true);
  const spec: QuerySpec = { name: `${subdomain}.${TEST_ZONE}`, edns: { udpSize: 1400 } };
  for (let round = 0; round < 5; round++) {
    await udpQuery(at, spec);
    const value = txt(`round-${round}`);
    await other.putTxt(subdomain, value, Math.floor(Date.now() / 1000));
    expect(txtValues(await udpQuery(at, spec))).toContain(value);
  }
  await other.deleteAccount(username);
  expect((await udpQuery(at, spec)).rcode).toBe(3);
});

/** Sends `messages` from one socket in one go (the server reads them as one batch) and collects replies until `count` came or `ms` passed. */
function burst(at: Target, messages: readonly Buffer[], count: number, ms = 3000): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const replies: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      socket.close();
      resolve(replies);
    };
    const timer = setTimeout(done, ms);
    socket.on('error', reject);
    socket.on('message', (msg) => {
      replies.push(msg);
      if (replies.length === count) done();
    });
    for (const m of messages) socket.send(m, at.port, at.address);
  });
}

describe('a burst: the datagrams of one read, answered together (udp-batch.ts, DnsHandler.udpMany)', () => {
  test('repeated questions of a burst wait for one generation read, and get the first answer\'s bytes but their IDs', async () => {
    let reads = 0;
    const at = await serve(true, () => (reads++, (served.readGeneration as () => Promise<number>)()));
    const spec: QuerySpec = { name: `${subdomain}.${TEST_ZONE}`, edns: { udpSize: 1220 } };
    const first = await sendUdp(at, buildQuery({ ...spec, id: 1 }));
    const [readsBefore, lookupsBefore] = [reads, lookups];
    const ids = Array.from({ length: 12 }, (_, i) => 0x200 + i);
    const replies = await burst(at, ids.map((id, i) => buildQuery({ ...spec, id, name: i % 2 === 0 ? spec.name : mixedCase(spec.name) })), ids.length);
    expect(replies.map((r) => r.readUInt16BE(0)).sort((a, b) => a - b)).toEqual(ids);
    for (const r of replies) expect(r.subarray(12).toString('latin1').toLowerCase()).toBe(first?.subarray(12).toString('latin1').toLowerCase());
    expect(lookups - lookupsBefore).toBe(0);
    // One read for the batch (two if the kernel handed the burst over in two reads), not one per question.
    expect(reads - readsBefore).toBeGreaterThanOrEqual(1);
    expect(reads - readsBefore).toBeLessThanOrEqual(2);
  });

  test('static data in a burst is answered while the batch\'s account questions wait for a hung generation read', async () => {
    let release: (generation: number) => void = () => undefined;
    const hung = new Promise<number>((resolve) => (release = resolve));
    const at = await serve(true, () => hung);
    try {
      const account = buildQuery({ id: 0x301, name: `${subdomain}.${TEST_ZONE}` });
      const www = buildQuery({ id: 0x302, name: `www.${TEST_ZONE}`, type: 'A' });
      const ns = buildQuery({ id: 0x303, name: mixedCase(TEST_ZONE), type: 'NS' });
      const replies = await burst(at, [account, www, account, ns], 2);
      expect(replies.map((r) => r.readUInt16BE(0)).sort()).toEqual([0x302, 0x303]);
    } finally {
      release(0);
    }
  });
});
