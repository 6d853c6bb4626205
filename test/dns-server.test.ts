/** The DNS server over real UDP and TCP sockets: answers, EDNS, truncation. */
import type { NameData } from '../src/core/types';
import { buildQuery, type QuerySpec, type Reply, rrs, tcpQuery, txtValues, udpQuery, wireName } from './support/dns-client';
import { type Harness, startDns } from './support/dns-server';

const SUB = 'd420c923-bbd7-4056-ab64-c3ca54c9b3cf';
const VALUES = ['LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM', 'ZJtj4MOF7ZWgYubuNjSuIWwJLUZGOv0jaIuZNMD0AVw'];
const MANY = Array.from({ length: 30 }, (_, i) => `${String(i).padStart(2, '0')}${'x'.repeat(41)}`);
const accounts = new Map<string, NameData>([
  [SUB, { values: VALUES }],
  ['empty', { values: [] }],
  ['many', { values: MANY }],
]);

let h: Harness;
beforeAll(async () => {
  h = await startDns({ accounts });
});
afterAll(async () => {
  await h.stop();
});

const soaTtl = (r: Reply): number | undefined => rrs(r.packet.authorities).find((a) => a.type === 'SOA')?.ttl;

describe('listening', () => {
  test('UDP and TCP share the port picked for port 0', () => {
    expect(h.udp.address).toBe('127.0.0.1');
    expect(h.udp.port).toBeGreaterThan(0);
    expect(h.tcp.port).toBe(h.udp.port);
  });
});

describe.each(['udp', 'tcp'])('answers over %s', (transport) => {
  const ask = (spec: QuerySpec): Promise<Reply> => (transport === 'udp' ? udpQuery(h.udp, spec) : tcpQuery(h.tcp, spec));

  test('TXT at an account: every value, AA, TTL 1; question and owner as asked (0x20)', async () => {
    const name = `D420C923-bbd7-4056-AB64-c3ca54c9b3cf.AuTh.eXaMpLe.OrG`;
    const query = buildQuery({ name, type: 16 });
    const r = await ask({ name, type: 16 });
    expect(r).toMatchObject({ qr: true, aa: true, tc: false, ra: false, rcode: 0, id: 0x1234 });
    expect(txtValues(r)).toEqual(VALUES);
    expect(rrs(r.packet.answers).map((a) => [a.name, a.ttl])).toEqual([
      [name, 1],
      [name, 1],
    ]);
    // Byte for byte: the question section is the query's.
    expect(r.raw.subarray(12, query.length)).toEqual(query.subarray(12));
  });

  test('NODATA for other types at an account, SOA TTL = min(SOA TTL, MINIMUM)', async () => {
    for (const type of [1, 28, 6, 5, 2]) {
      const r = await ask({ name: `${SUB}.auth.example.org`, type });
      expect(r).toMatchObject({ rcode: 0, aa: true });
      expect(r.packet.answers).toEqual([]);
      expect(soaTtl(r)).toBe(60);
    }
  });

  test('NODATA for TXT at an account without values', async () => {
    const r = await ask({ name: 'empty.auth.example.org', type: 16 });
    expect(r).toMatchObject({ rcode: 0, aa: true });
    expect(soaTtl(r)).toBe(60);
  });

  test('NXDOMAIN + SOA for unknown names and names below an account', async () => {
    for (const name of ['nobody.auth.example.org', `x.${SUB}.auth.example.org`]) {
      const r = await ask({ name, type: 16 });
      expect(r).toMatchObject({ rcode: 3, aa: true });
      expect(r.packet.authorities?.map((a) => [a.type, a.name])).toEqual([['SOA', 'auth.example.org']]);
    }
  });

  test('REFUSED outside the zone, AA=0, no authority; RD echoed, RA=0', async () => {
    const r = await ask({ name: 'example.com', type: 1, rd: true });
    expect(r).toMatchObject({ rcode: 5, aa: false, rd: true, ra: false });
    expect(r.packet.authorities).toEqual([]);
  });

  test('RD=1 in the zone: the same authoritative answer', async () => {
    const r = await ask({ name: `${SUB}.auth.example.org`, type: 16, rd: true });
    expect(r).toMatchObject({ rcode: 0, aa: true, rd: true, ra: false });
    expect(txtValues(r)).toEqual(VALUES);
  });

  test('apex SOA and NS', async () => {
    const soa = await ask({ name: 'auth.example.org', type: 6 });
    expect(rrs(soa.packet.answers).map((a) => [a.type, a.ttl, a.data])).toEqual([
      ['SOA', 3600, { mname: 'auth.example.org', rname: 'admin.example.org', serial: 2026112311, refresh: 28800, retry: 7200, expire: 604800, minimum: 60 }],
    ]);
    const ns = await ask({ name: 'auth.example.org', type: 2 });
    expect(rrs(ns.packet.answers).map((a) => a.data)).toEqual(['auth.example.org']);
  });

  test('class CH: REFUSED; opcodes NOTIFY and UPDATE: NOTIMP; both echo the question', async () => {
    expect(await ask({ name: 'auth.example.org', type: 16, klass: 3 })).toMatchObject({ rcode: 5, aa: false, qdcount: 1 });
    for (const opcode of [4, 5]) {
      expect(await ask({ name: 'auth.example.org', type: 6, opcode })).toMatchObject({ rcode: 4, opcode, qdcount: 1 });
    }
  });
});

describe('EDNS', () => {
  const name = `${SUB}.auth.example.org`;
  test.each([4096, 1232, 512, 100])('OPT with UDP size %d: answered, our OPT says 1232', async (udpSize) => {
    const r = await udpQuery(h.udp, { name, edns: { udpSize } });
    expect(r.rcode).toBe(0);
    expect(txtValues(r)).toEqual(VALUES);
    expect(r.opt).toMatchObject({ udpPayloadSize: 1232, ednsVersion: 0, flag_do: false, options: [] });
  });

  test('DO=1 is echoed; the answer is the same (unsigned zone)', async () => {
    const r = await udpQuery(h.udp, { name, edns: { udpSize: 1232, dnssecOk: true } });
    expect(r.opt?.flag_do).toBe(true);
    expect(txtValues(r)).toEqual(VALUES);
  });

  test('unknown options (a cookie, NSID, padding) are ignored, not echoed', async () => {
    const options = [
      { code: 10, data: Buffer.from('0123456789abcdef', 'hex') },
      { code: 3, data: Buffer.alloc(0) },
      { code: 12, data: Buffer.alloc(20) },
      { code: 65001, data: Buffer.from('x') },
    ];
    const r = await udpQuery(h.udp, { name, edns: { udpSize: 4096, options } });
    expect(r.rcode).toBe(0);
    expect(r.opt?.options).toEqual([]);
  });

  test('version 1: BADVERS (16) with our OPT version 0 and no answers', async () => {
    const r = await udpQuery(h.udp, { name, edns: { udpSize: 1232, version: 1 } });
    expect(r.rcode).toBe(16);
    expect(r.opt).toMatchObject({ ednsVersion: 0, udpPayloadSize: 1232 });
    expect(r.packet.answers).toEqual([]);
    expect(r.qdcount).toBe(1);
  });

  test('no OPT in the query, none in the reply', async () => {
    const r = await udpQuery(h.udp, { name });
    expect(r.opt).toBeUndefined();
    expect(r.packet.additionals).toEqual([]);
  });
});

describe('truncation', () => {
  const name = 'many.auth.example.org';
  test.each([
    ['no OPT (512)', undefined],
    ['OPT 4096, clamped to 1232', { udpSize: 4096 }],
    ['OPT 1232', { udpSize: 1232 }],
  ])('UDP, %s: TC=1, question and OPT kept, no records', async (_what, edns) => {
    const query = buildQuery({ name, edns });
    const r = await udpQuery(h.udp, { name, edns });
    expect(r).toMatchObject({ tc: true, aa: true, rcode: 0, qdcount: 1 });
    expect(r.packet.answers).toEqual([]);
    expect(r.packet.authorities).toEqual([]);
    expect(r.opt !== undefined).toBe(edns !== undefined);
    expect(r.raw.length).toBeLessThanOrEqual(512);
    const questionEnd = 12 + wireName(name).length + 4;
    expect(r.raw.subarray(12, questionEnd)).toEqual(query.subarray(12, questionEnd));
  });

  test('the same query over TCP: whole', async () => {
    const r = await tcpQuery(h.tcp, { name, edns: { udpSize: 1232 } });
    expect(r.tc).toBe(false);
    expect(txtValues(r)).toEqual(MANY);
  });

  test('answers that fit are never truncated (owner names compressed)', async () => {
    const r = await udpQuery(h.udp, { name: `${SUB}.auth.example.org` });
    expect(r.tc).toBe(false);
    expect(r.raw.length).toBeLessThan(512);
  });
});
