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
