/**
 * The server's own DNS-01 values (store.challengeValues) over real sockets: served at `_acme-challenge.<name>` in
 * the zone, several labels deep too, in the question's spelling; what the store is asked per
 * query; a store outage; and the own-answer check (self-query) against a real server.
 */
import { StoreUnavailableError } from '../src/core/errors';
import type { NameData } from '../src/core/types';
import { createSelfQuery } from '../src/dns';
import { type QuerySpec, type Reply, rrs, tcpQuery, txtValues, udpQuery } from './support/dns-client';
import { type Harness, startDns } from './support/dns-server';

const SUB = 'd420c923-bbd7-4056-ab64-c3ca54c9b3cf';
const ACCOUNT_VALUE = 'LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM';
const OWN = ['ZJtj4MOF7ZWgYubuNjSuIWwJLUZGOv0jaIuZNMD0AVw', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'];
const DEEP = '_acme-challenge.api.example.test.auth.example.org';
const APEX = '_acme-challenge.auth.example.org';
/** An own name whose value was withdrawn: the names above it exist no more. */
const GONE = '_acme-challenge.gone.example.test.auth.example.org';

/** Every store read, in order, as `lookup:<label>` or `challenges:<name>`. */
const reads: string[] = [];
let storeDown = false;

const accounts = new Map<string, NameData>([[SUB, { values: [ACCOUNT_VALUE] }]]);
const own = new Map<string, readonly string[]>([
  [DEEP, OWN],
  [APEX, [OWN[0] as string]],
]);

let h: Harness;
beforeAll(async () => {
  h = await startDns({
    ownChallengeNames: [DEEP, APEX, GONE],
    lookup: async (label) => {
      reads.push(`lookup:${label}`);
      if (storeDown) throw new StoreUnavailableError('database is locked');
      return accounts.get(label);
    },
    challenges: async (name) => {
      reads.push(`challenges:${name}`);
      if (storeDown) throw new StoreUnavailableError('database is locked');
      return own.get(name) ?? [];
    },
  });
});
afterAll(async () => {
  await h.stop();
});
beforeEach(() => {
  reads.length = 0;
  storeDown = false;
});

describe.each(['udp', 'tcp'])('own challenge values over %s', (transport) => {
  const ask = (spec: QuerySpec): Promise<Reply> => (transport === 'udp' ? udpQuery(h.udp, spec) : tcpQuery(h.tcp, spec));

  test('several labels deep (an api_domain outside the zone): every value, TTL 1, owner as asked', async () => {
    const name = '_ACME-Challenge.API.example.TEST.aUtH.example.org';
    const r = await ask({ name, type: 16 });
    expect(r).toMatchObject({ rcode: 0, aa: true });
    expect(txtValues(r).sort()).toEqual([...OWN].sort());
    expect(rrs(r.packet.answers).map((a) => [a.name, a.ttl])).toEqual([
      [name, 1],
      [name, 1],
    ]);
  });

  test('at _acme-challenge.<zone>: served', async () => {
    const r = await ask({ name: APEX, type: 16 });
    expect(r).toMatchObject({ rcode: 0, aa: true });
    expect(txtValues(r)).toEqual([OWN[0]]);
  });

  test('other types at a name with values: NODATA with the SOA; without values: NXDOMAIN', async () => {
    const nodata = await ask({ name: DEEP, type: 1 });
    expect(nodata).toMatchObject({ rcode: 0, aa: true });
    expect(nodata.packet.answers).toEqual([]);
    expect(rrs(nodata.packet.authorities).map((a) => a.type)).toEqual(['SOA']);
    const gone = await ask({ name: GONE, type: 16 });
    expect(gone.rcode).toBe(3);
  });

  test('the names above a deep own name holding a value: NODATA with the SOA, never NXDOMAIN (RFC 8020)', async () => {
    // A resolver minimising the query name (RFC 9156) asks each of these on its way down.
    for (const name of ['Api.Example.TEST.auth.example.org', 'example.test.auth.example.org', 'test.auth.example.org']) {
      const r = await ask({ name, type: 1 });
      expect(r).toMatchObject({ rcode: 0, aa: true });
      expect(r.packet.answers).toEqual([]);
      expect(rrs(r.packet.authorities).map((a) => [a.name, a.type])).toEqual([['auth.example.org', 'SOA']]);
    }
    // Above a withdrawn one nothing lives: it does not exist.
    expect((await ask({ name: 'gone.example.test.auth.example.org', type: 16 })).rcode).toBe(3);
  });
});

describe('what the store is asked (the hot path)', () => {
  const ask = (name: string, type = 16): Promise<Reply> => udpQuery(h.udp, { name, type });

  test.each<[string, string, number, string[]]>([
    ['an account TXT: one lookup, nothing else', `${SUB}.auth.example.org`, 16, [`lookup:${SUB}`]],
    ['a name several labels deep: the own values only', DEEP, 16, [`challenges:${DEEP}`]],
    // Own values live only at `_acme-challenge.<name>` (RFC 8555 §8.4): other names are not asked.
    ['a name above it: the own name below only', 'api.example.test.auth.example.org', 16, [`challenges:${DEEP}`]],
    ['_acme-challenge.<zone>: both', APEX, 16, ['lookup:_acme-challenge', `challenges:${APEX}`]],
    ['a one-label name without an account (a random-subdomain flood): one lookup', 'nobody.auth.example.org', 16, ['lookup:nobody']],
    ['the apex: nothing', 'auth.example.org', 6, []],
    ['outside the zone: nothing', '_acme-challenge.example.com', 16, []],
  ])('%s', async (_what, name, type, expected) => {
    await ask(name, type);
    expect(reads).toEqual(expected);
  });
});

describe('the store down', () => {
  test('an own challenge name: SERVFAIL (never NXDOMAIN); the static zone still answers', async () => {
    storeDown = true;
    expect((await udpQuery(h.udp, { name: DEEP, type: 16 })).rcode).toBe(2);
    const soa = await udpQuery(h.udp, { name: 'auth.example.org', type: 6 });
    expect(soa.rcode).toBe(0);
    expect(rrs(soa.packet.answers).map((a) => a.type)).toEqual(['SOA']);
    expect(h.logs.some((l) => l.msg === 'store unavailable: answered SERVFAIL' && l.qname === DEEP)).toBe(true);
  });
});

describe('self-query: our own authoritative answer, over the wire', () => {
  test('true only when one TXT record equals the value', async () => {
    const check = createSelfQuery(h.bound);
    await expect(check(DEEP, OWN[1] as string)).resolves.toBe(true);
    await expect(check(DEEP.toUpperCase(), OWN[0] as string)).resolves.toBe(true);
    await expect(check(DEEP, ACCOUNT_VALUE)).resolves.toBe(false);
    await expect(check('_acme-challenge.gone.auth.example.org', OWN[0] as string)).resolves.toBe(false);
    // It really asked the server (through the store seam), not the store directly.
    expect(reads.filter((r) => r === `challenges:${DEEP}`)).toHaveLength(3);
  });

  test('a SERVFAIL is an error, not a "no"', async () => {
    storeDown = true;
    await expect(createSelfQuery(h.bound)(DEEP, OWN[0] as string)).rejects.toThrow(/rcode 2/);
  });

  test('a wildcard bind is asked on loopback; a TCP-only server over TCP', async () => {
    const wild = await startDns({ config: { listen: ['0.0.0.0:0'], protocol: 'udp4' }, challenges: own });
    const tcpOnly = await startDns({ config: { protocol: 'tcp' }, challenges: own });
    try {
      expect(wild.bound.udp[0]?.address).toBe('0.0.0.0');
      await expect(createSelfQuery(wild.bound)(DEEP, OWN[0] as string)).resolves.toBe(true);
      expect(tcpOnly.bound.udp).toEqual([]);
      await expect(createSelfQuery(tcpOnly.bound)(DEEP, OWN[0] as string)).resolves.toBe(true);
    } finally {
      await wild.stop();
      await tcpOnly.stop();
    }
  });

  test('nobody listening: a clear error, not a hang', async () => {
    const closed = await startDns({ challenges: own });
    const bound = closed.bound;
    await closed.stop();
    await expect(createSelfQuery({ udp: bound.udp, tcp: [] }, 300)(DEEP, OWN[0] as string)).rejects.toThrow(/no answer from our DNS server|ECONNREFUSED/);
  });
});
