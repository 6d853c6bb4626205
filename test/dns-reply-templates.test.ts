/**
 * Replies to accounts' names made from another account's reply (src/dns/reply-templates.ts) in
 * the real server on a real SQLite store: for accounts of every value count, value length and
 * query form, each reply is byte for byte what the promise path (which never uses templates)
 * builds; a template does answer (one store lookup instead of two); a write, a new second or a
 * value aging out is seen at once.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createDnsServer, type DnsServer } from '../src/dns';
import type { Store } from '../src/store';
import type { SyncZoneReads } from '../src/store/types';
import { openSqliteStore } from '../src/store';
import { testConfig } from './support/config';
import { buildQuery, mixedCase, sendUdp, txtValues, udpExchange, udpQuery, type QuerySpec, type Target } from './support/dns-client';

const ZONE = 'auth.example.org';
const NOW = 1_795_435_199;
const RECORDS = [`${ZONE}. A 198.51.100.1`, `${ZONE}. NS ${ZONE}.`, `www.${ZONE}. A 192.0.2.7`];
/** ACME values: 43 characters (base64url of a SHA-256). */
const value = (n: number): string => `${String(n).padStart(3, '0')}${'x'.repeat(37)}abc`;

let dir: string;
let clock = NOW;
let store: Store;
let cached: Target;
let reference: Target;
/** Account reads (lookup and the replay's peekAccount) made by the cached server's synchronous reads. */
let lookups = 0;
/** The replay's in-place reads (writeSoleValue) that wrote a value. */
let soleReads = 0;
/** The replay's in-place denial reads (accountAbsent) that said no account has the label. */
let absentReads = 0;
/** The read-aheads of a batch's first pass (touchAccount) on labels that could be an account's. */
let touches = 0;
const servers: DnsServer[] = [];

/** The store's sync reads with their account reads counted. */
function counted(reads: SyncZoneReads): SyncZoneReads {
  return {
    ...reads,
    lookup: (subdomain, now) => (lookups++, reads.lookup(subdomain, now)),
    peekAccount: (subdomain, now) => (lookups++, reads.peekAccount(subdomain, now)),
    writeSoleValue: (query, from, now, length, out, at) => {
      const written = reads.writeSoleValue(query, from, now, length, out, at);
      if (written) soleReads++;
      return written;
    },
    accountAbsent: (query, from, length) => {
      const absent = reads.accountAbsent(query, from, length);
      if (absent) absentReads++;
      return absent;
    },
    touchAccounts: (queries, from, length) => ((touches += queries.length), reads.touchAccounts(queries, from, length)),
  };
}

async function serve(sync: SyncZoneReads | undefined): Promise<Target> {
  const server = createDnsServer({
    config: { ...testConfig({ general: { records: RECORDS } }).dns, protocol: 'udp4' },
    lookup: (sub, now) => store.lookup(sub, now),
    challenges: (name, now) => store.challengeValues(name, now),
    syncReads: sync,
    serial: () => store.zoneSerial(),
    ownChallengeNames: [`_acme-challenge.${ZONE}`],
    logger: pino({ level: 'silent' }),
    now: () => clock,
  });
  servers.push(server);
  const bound = await server.start();
  return { address: '127.0.0.1', port: (bound.udp[0] as { port: number }).port };
}

/** Accounts `a00`..`a09` (one value each), two with two values, one without, one with a short and one with a non-ASCII value. */
const ONE = Array.from({ length: 10 }, (_, i) => `a0${i}`);
const TWO = ['b01', 'b02', 'b03'];
/**
 * Accounts named by UUID, as every account is (the replay reads them in place once a template of
 * the shape was served: udp-replay.ts byModel): one ACME value each; a 43-character value that
 * is no digest's spelling (kept as text); two values.
 */
const uuid = (kind: number, i: number): string => `${kind}${i}0a2f43-7c1e-4b59-9d2b-1f0c3e5a7b90`;
const UUID_ONE = Array.from({ length: 8 }, (_, i) => uuid(1, i));
const UUID_TEXT = Array.from({ length: 4 }, (_, i) => uuid(2, i));
const UUID_TWO = Array.from({ length: 3 }, (_, i) => uuid(3, i));
const digestOf = (n: number): string => crypto.createHash('sha256').update(String(n)).digest('base64url');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-reply-templates-'));
  store = openSqliteStore({ file: path.join(dir, 'store.db'), txt: { keep: 2, maxAgeSeconds: 100 }, zone: ZONE });
  const create = (subdomain: string): Promise<void> => store.createAccount({ username: `u-${subdomain}`, passwordHash: 'h', subdomain, allowFrom: [] });
  for (const [i, s] of ONE.entries()) {
    await create(s);
    await store.putTxt(s, value(i), NOW - 10);
  }
  for (const [i, s] of TWO.entries()) {
    await create(s);
    await store.putTxt(s, value(100 + i), NOW - 20);
    await store.putTxt(s, value(200 + i), NOW - 10);
  }
  for (const s of ['c01', 'c02', 'c03']) await create(s);
  for (const [i, s] of UUID_ONE.entries()) {
    await create(s);
    await store.putTxt(s, digestOf(i), NOW - 10);
  }
  for (const [i, s] of UUID_TEXT.entries()) {
    await create(s);
    await store.putTxt(s, `${digestOf(100 + i).slice(0, 42)}B`, NOW - 10);
  }
  for (const [i, s] of UUID_TWO.entries()) {
    await create(s);
    await store.putTxt(s, digestOf(200 + i), NOW - 20);
    await store.putTxt(s, digestOf(300 + i), NOW - 10);
  }
  for (const [s, v] of [['d01', 'short'], ['d02', 'short'], ['e01', 'välue-ä'], ['e02', 'välue-ö']] as const) {
    await create(s);
    await store.putTxt(s, v, NOW - 10);
  }
  cached = await serve(counted(store.syncReads as SyncZoneReads));
  reference = await serve(undefined);
});
afterAll(async () => {
  for (const s of servers) await s.stop();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The cached server's reply equals the reference's, byte for byte. */
async function same(spec: QuerySpec): Promise<Buffer> {
  const query = buildQuery(spec);
  const [got, want] = await Promise.all([sendUdp(cached, query), sendUdp(reference, query)]);
  expect(want).toBeDefined();
  expect(got?.toString('hex')).toBe(want?.toString('hex'));
  return got as Buffer;
}

const edns = { udpSize: 1232 };
const forms: [string, (label: string) => QuerySpec][] = [
  ['TXT with EDNS', (l) => ({ name: `${l}.${ZONE}`, edns })],
  ['TXT without EDNS', (l) => ({ name: `${l}.${ZONE}` })],
  ['TXT in 0x20 spelling', (l) => ({ name: mixedCase(`${l}.${ZONE}`), edns })],
  ['TXT without RD', (l) => ({ name: `${l}.${ZONE}`, rd: false })],
  ['type A (NODATA with the SOA)', (l) => ({ name: `${l}.${ZONE}`, type: 'A', edns })],
  ['type ANY', (l) => ({ name: `${l}.${ZONE}`, type: 'ANY' })],
  ['TXT with DO (unsigned zone)', (l) => ({ name: `${l}.${ZONE}`, edns: { udpSize: 1232, dnssecOk: true } })],
  ['TXT with a small EDNS size', (l) => ({ name: `${l}.${ZONE}`, edns: { udpSize: 512 } })],
];

describe.each(forms)('%s', (_what, form) => {
  test.each<[string, readonly string[]]>([
    ['one value', ONE],
    ['two values', TWO],
    ['no value', ['c01', 'c02', 'c03']],
    ['a short value', ['d01', 'd02']],
    ['a non-ASCII value', ['e01', 'e02']],
    ['UUID accounts, one value', UUID_ONE],
    ['UUID accounts, 43 characters kept as text', UUID_TEXT],
    ['UUID accounts, two values', UUID_TWO],
    ['UUID accounts of one and of two values in turn', [...UUID_ONE.slice(0, 3), UUID_TWO[0] as string, ...UUID_ONE.slice(3)]],
  ])('%s: every account gets the promise path bytes, twice', async (_kind, labels) => {
    for (let round = 0; round < 2; round++) for (const l of labels) await same(form(l));
  });
});

test('a verified template answers with one read of the account instead of two', async () => {
  // Learn (full path), check against a second account (full path), then fill for the rest.
  for (const l of ONE.slice(0, 2)) await same({ name: `${l}.${ZONE}`, edns });
  const before = lookups;
  for (const l of ONE.slice(2)) await same({ name: `${l}.${ZONE}`, edns });
  expect(lookups - before).toBe(ONE.length - 2);
});

test('a query of the shape last served is answered by the in-place read: no lookup, no string', async () => {
  // A form no other test asks: learn, check, serve once through the shape key, then in place.
  const form = (l: string): QuerySpec => ({ name: `${l}.${ZONE}`, edns: { udpSize: 1300 } });
  for (const l of UUID_ONE.slice(0, 3)) await same(form(l));
  const [lookupsBefore, soleBefore] = [lookups, soleReads];
  for (const l of UUID_ONE.slice(3)) await same(form(mixedCase(l)));
  expect(lookups - lookupsBefore).toBe(0);
  expect(soleReads - soleBefore).toBe(UUID_ONE.length - 3);
  // Two values: the in-place read says no, and the full path answers (two reads).
  await same(form(UUID_TWO[1] as string));
  expect(lookups - lookupsBefore).toBe(2);
});

test('the in-place read sees a write, a deletion and a new second at once', async () => {
  const form = (l: string): QuerySpec => ({ name: `${l}.${ZONE}`, edns: { udpSize: 1301 } });
  for (const l of UUID_ONE) await same(form(l));
  const target = UUID_ONE[6] as string;
  await store.putTxt(target, digestOf(999), NOW);
  for (const l of UUID_ONE) await same(form(l));
  // keep = 2: both values answer now.
  expect(txtValues(await udpQuery(cached, form(target))).sort()).toEqual([digestOf(6), digestOf(999)].sort());
  await store.deleteAccount(`u-${UUID_ONE[7] as string}`);
  for (const l of UUID_ONE) await same(form(l));
  expect((await udpQuery(cached, form(UUID_ONE[7] as string))).rcode).toBe(3);
  try {
    // The values were written at NOW - 10; 100 s is the age limit.
    clock = NOW + 91;
    for (const l of UUID_ONE) await same(form(l));
    expect(txtValues(await udpQuery(cached, form(UUID_ONE[0] as string)))).toEqual([]);
  } finally {
    clock = NOW;
  }
});

test('a template is not filled for values of other lengths', async () => {
  // A form no other test asks (so nothing is in the reply cache for it).
  const form = (l: string): QuerySpec => ({ name: `${l}.${ZONE}`, edns: { udpSize: 1400 } });
  for (const l of ONE.slice(0, 3)) await same(form(l));
  // d01's value is short: its reply comes from the full path (two reads), and is right.
  const before = lookups;
  const reply = await same(form('d01'));
  expect(lookups - before).toBe(2);
  expect(reply.includes(Buffer.from('short'))).toBe(true);
});

describe('a random-subdomain flood: denials of the shape last served, read in place', () => {
  // Forms no other test asks, so each starts with nothing cached for its shape.
  const nx = (i: number): string => `nx-${(0x1000_0000 + i * 7919).toString(16)}`;

  test('names no account has get the promise path bytes, without a lookup once a denial of the shape was served', async () => {
    const form = (l: string): QuerySpec => ({ name: `${l}.${ZONE}`, edns: { udpSize: 1310 } });
    // The full path, then the shape key (one lookup each), then in place.
    for (let i = 0; i < 2; i++) await same(form(nx(i)));
    const [lookupsBefore, absentBefore] = [lookups, absentReads];
    for (let i = 2; i < 40; i++) await same(form(i % 2 === 0 ? nx(i) : mixedCase(nx(i))));
    expect(lookups - lookupsBefore).toBe(0);
    expect(absentReads - absentBefore).toBe(38);
  });

  test('a name of the same shape that has data, or is no plain label, or is static, is answered by the full path', async () => {
    const form = (l: string): QuerySpec => ({ name: `${l}.${ZONE}`, edns: { udpSize: 1311 } });
    for (let i = 0; i < 3; i++) await same(form(`x${nx(i).slice(1, 3)}`));
    // Three octets, as the accounts a00.. and c01..: an account's name gets its TXT, or its NODATA.
    const reply = await same(form('a03'));
    expect(txtValues(await udpQuery(cached, form('a03')))).toEqual([value(3)]);
    expect(reply.readUInt16BE(2) & 0xf).toBe(0);
    expect((await udpQuery(cached, form('c02'))).rcode).toBe(0);
    await same(form('C02'));
    // Labels that are no account's kind of label (a space, a star): never denied in place.
    for (const l of ['a b', 'a*b', 'a.b']) await same(form(l));
  });

  test('a UUID no account has is denied in place; one that has an account is answered with its value', async () => {
    const form = (l: string): QuerySpec => ({ name: `${l}.${ZONE}`, edns: { udpSize: 1312 } });
    const absent = (i: number): string => `${(0xe000_0000 + i).toString(16)}-7c1e-4b59-9d2b-1f0c3e5a7b90`;
    for (let i = 0; i < 3; i++) await same(form(absent(i)));
    const absentBefore = absentReads;
    for (let i = 3; i < 10; i++) await same(form(mixedCase(absent(i))));
    expect(absentReads - absentBefore).toBe(7);
    for (const l of [...UUID_ONE, ...UUID_TWO]) {
      await same(form(l));
      await same(form(l.toUpperCase()));
    }
    expect(txtValues(await udpQuery(cached, form((UUID_ONE[2] as string).toUpperCase())))).toEqual([digestOf(2)]);
  });

  test('an account created under a denied name is served by the next query', async () => {
    const form = (l: string): QuerySpec => ({ name: `${l}.${ZONE}`, edns: { udpSize: 1313 } });
    for (let i = 0; i < 4; i++) await same(form(nx(100 + i)));
    const label = nx(104);
    expect((await udpQuery(cached, form(label))).rcode).toBe(3);
    await store.createAccount({ username: `u-${label}`, passwordHash: 'h', subdomain: label, allowFrom: [] });
    await store.putTxt(label, 'created', NOW);
    expect(txtValues(await udpQuery(cached, form(label)))).toEqual(['created']);
    await same(form(mixedCase(label)));
    await store.deleteAccount(`u-${label}`);
    expect((await udpQuery(cached, form(label))).rcode).toBe(3);
    await same(form(label));
  });

  test('a new second or a DNSKEY-less change of nothing keeps the bytes right', async () => {
    const form = (l: string): QuerySpec => ({ name: `${l}.${ZONE}`, edns: { udpSize: 1314 } });
    for (let i = 0; i < 4; i++) await same(form(nx(200 + i)));
    try {
      clock = NOW + 1;
      for (let i = 4; i < 10; i++) await same(form(nx(200 + i)));
    } finally {
      clock = NOW;
    }
  });
});

describe('a burst: the datagrams of one read, answered together (udp-batch.ts)', () => {
  test("every query of a burst gets the reference's bytes, in the order sent, after its label was read ahead", async () => {
    const form = (l: string, id: number): QuerySpec => ({ id, name: `${l}.${ZONE}`, edns: { udpSize: 1314 } });
    const absent = (i: number): string => `${(0xd000_0000 + i).toString(16)}-7c1e-4b59-9d2b-1f0c3e5a7b90`;
    // Accounts by UUID in both cases, UUIDs no account has, short names, and the apex's SOA.
    const labels = [...UUID_ONE, ...UUID_TWO.map((l) => l.toUpperCase()), ...Array.from({ length: 8 }, (_, i) => mixedCase(absent(i))), 'a01', 'c01', 'nx-burst'];
    const specs = [...labels.map((l, i) => form(l, 0x100 + i)), { id: 0x1ff, name: ZONE, type: 6 }];
    // Sent from one socket in one go: the server's next poll reads them together.
    const touchesBefore = touches;
    const replies = await udpExchange(cached, ...specs.map(buildQuery));
    expect(replies.map((r) => r.readUInt16BE(0))).toEqual(specs.map((s) => s.id));
    for (const [i, spec] of specs.entries()) {
      const want = await sendUdp(reference, buildQuery(spec));
      expect((replies[i] as Buffer).toString('hex')).toBe(want?.toString('hex'));
    }
    // The labels of a UUID's length were read ahead (libuv reads 32 datagrams at most per poll).
    expect(touches - touchesBefore).toBeGreaterThanOrEqual(UUID_ONE.length + UUID_TWO.length + 8);
  });
});

describe('never stale', () => {
  test('a value written through the store is served by the next query', async () => {
    for (const l of ONE) await same({ name: `${l}.${ZONE}`, edns });
    await store.putTxt('a05', value(999), NOW);
    expect(txtValues(await udpQuery(cached, { name: `a05.${ZONE}`, edns }))).toContain(value(999));
    await same({ name: `a05.${ZONE}`, edns });
  });

  test('a deleted account is NXDOMAIN at once, though its shape has a verified template', async () => {
    for (const l of ONE.slice(0, 4)) await same({ name: `${l}.${ZONE}`, edns });
    await store.deleteAccount('u-a09');
    expect((await udpQuery(cached, { name: `a09.${ZONE}`, edns })).rcode).toBe(3);
    await same({ name: `a09.${ZONE}`, edns });
  });

  test('values aging out in a later second are dropped', async () => {
    for (const l of ONE.slice(0, 4)) await same({ name: `${l}.${ZONE}`, edns });
    try {
      // The one-value accounts' values were written at NOW - 10 (a05 at NOW); 100 s is the limit.
      clock = NOW + 91;
      expect(txtValues(await udpQuery(cached, { name: `a01.${ZONE}`, edns }))).toEqual([]);
      for (const l of ONE.slice(0, 4)) await same({ name: `${l}.${ZONE}`, edns });
    } finally {
      clock = NOW;
    }
  });
});
