import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { StoreUnavailableError } from '../src/core/errors';
import type { NameData } from '../src/core/types';
import {
  buildQuery,
  frame,
  parseReply,
  rrs,
  startDns,
  TcpClient,
  tcpQuery,
  txtOf,
  udpExchange,
  udpQuery,
  wireName,
  type Harness,
  type QuerySpec,
  type Reply,
} from './dns-harness';

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
    expect(txtOf(r)).toEqual(VALUES);
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
    expect(txtOf(r)).toEqual(VALUES);
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
    expect(txtOf(r)).toEqual(VALUES);
    expect(r.opt).toMatchObject({ udpPayloadSize: 1232, ednsVersion: 0, flag_do: false, options: [] });
  });

  test('DO=1 is echoed; the answer is the same (unsigned zone)', async () => {
    const r = await udpQuery(h.udp, { name, edns: { udpSize: 1232, dnssecOk: true } });
    expect(r.opt?.flag_do).toBe(true);
    expect(txtOf(r)).toEqual(VALUES);
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
    expect(txtOf(r)).toEqual(MANY);
  });

  test('answers that fit are never truncated (owner names compressed)', async () => {
    const r = await udpQuery(h.udp, { name: `${SUB}.auth.example.org` });
    expect(r.tc).toBe(false);
    expect(r.raw.length).toBeLessThan(512);
  });
});

describe('TCP', () => {
  test('pipelined queries on one connection, each answered', async () => {
    const client = new TcpClient(h.tcp);
    const names = [`${SUB}.auth.example.org`, 'nobody.auth.example.org', 'auth.example.org', 'example.com', 'empty.auth.example.org'];
    client.write(Buffer.concat(names.map((name, i) => frame(buildQuery({ id: 100 + i, name })))));
    const replies = (await client.waitFor(names.length)).map(parseReply);
    client.destroy();
    expect(replies.map((r) => [r.id, r.rcode]).sort()).toEqual([
      [100, 0],
      [101, 3],
      [102, 0],
      [103, 5],
      [104, 0],
    ]);
  });

  test('a message split across writes, byte by byte', async () => {
    const client = new TcpClient(h.tcp);
    await client.connected();
    const bytes = frame(buildQuery({ id: 7, name: `${SUB}.auth.example.org` }));
    for (const b of bytes) client.write(Buffer.from([b]));
    const [reply] = await client.waitFor(1);
    client.destroy();
    expect(txtOf(parseReply(reply as Buffer))).toEqual(VALUES);
  });

  test('half-close: queries sent before our FIN are answered, then the server closes', async () => {
    const client = new TcpClient(h.tcp);
    client.write(Buffer.concat([frame(buildQuery({ id: 1, name: `${SUB}.auth.example.org` })), frame(buildQuery({ id: 2, name: 'auth.example.org', type: 6 }))]));
    client.socket.end();
    await client.waitClosed();
    expect(client.replies.map((r) => parseReply(r).id).sort()).toEqual([1, 2]);
  });

  test('a zero-length message closes the connection after the answers in progress', async () => {
    const client = new TcpClient(h.tcp);
    client.write(Buffer.concat([frame(buildQuery({ id: 9, name: 'auth.example.org', type: 6 })), Buffer.from([0, 0]), frame(buildQuery({ id: 10, name: 'auth.example.org' }))]));
    await client.waitClosed();
    expect(client.replies.map((r) => parseReply(r).id)).toEqual([9]);
  });
});

describe('a slow store', () => {
  let release: () => void = () => undefined;
  let waiting = 0;
  let onWaiting: () => void = () => undefined;
  let slow: Harness;
  /** Resolves once `n` lookups of `slow` are waiting at the gate. */
  const lookupsWaiting = async (n: number): Promise<void> => {
    while (waiting < n) await new Promise<void>((r) => (onWaiting = r));
  };
  beforeEach(async () => {
    waiting = 0;
    const gate = new Promise<void>((r) => (release = r));
    slow = await startDns({
      lookup: async (sub) => {
        if (sub !== 'slow') return accounts.get(sub);
        waiting++;
        onWaiting();
        await gate;
        return { values: ['late'] };
      },
    });
  });
  afterEach(async () => {
    release();
    await slow.stop();
  });

  test('pipelined TCP answers come as ready: a fast one overtakes a slow one', async () => {
    const client = new TcpClient(slow.tcp);
    client.write(Buffer.concat([frame(buildQuery({ id: 1, name: 'slow.auth.example.org' })), frame(buildQuery({ id: 2, name: `${SUB}.auth.example.org` }))]));
    const [first] = await client.waitFor(1);
    expect(parseReply(first as Buffer).id).toBe(2);
    release();
    const replies = await client.waitFor(2);
    client.destroy();
    expect(txtOf(parseReply(replies[1] as Buffer))).toEqual(['late']);
  });

  test('stop() waits for the answers in flight (UDP and TCP)', async () => {
    const client = new TcpClient(slow.tcp);
    client.write(frame(buildQuery({ id: 5, name: 'slow.auth.example.org' })));
    const socket = dgram.createSocket('udp4');
    const udpReply = new Promise<Buffer>((resolve) => socket.once('message', resolve));
    socket.send(buildQuery({ id: 6, name: 'slow.auth.example.org' }), slow.udp.port, slow.udp.address);
    await lookupsWaiting(2);
    const stopped = slow.stop();
    release();
    await stopped;
    expect(parseReply(await udpReply).id).toBe(6);
    expect((await client.waitFor(1)).map((r) => parseReply(r).id)).toEqual([5]);
    await client.waitClosed();
    socket.close();
  });
});

describe('store failures', () => {
  test('StoreUnavailableError: SERVFAIL (never NXDOMAIN) and one log line', async () => {
    const failing = await startDns({
      lookup: async () => {
        throw new StoreUnavailableError('database is locked');
      },
    });
    try {
      const r = await udpQuery(failing.udp, { name: `${SUB}.auth.example.org`, edns: { udpSize: 1232 } });
      expect(r).toMatchObject({ rcode: 2, qdcount: 1 });
      expect(r.opt).toBeDefined();
      const lines = failing.logs.filter((l) => l.level >= 40);
      expect(lines).toHaveLength(1);
      expect(lines[0]?.msg).toMatch(/store unavailable/);
      // Names that need no lookup are still answered.
      expect((await udpQuery(failing.udp, { name: 'auth.example.org', type: 6 })).rcode).toBe(0);
    } finally {
      await failing.stop();
    }
  });

  test('any other error: SERVFAIL and one error line', async () => {
    const failing = await startDns({
      lookup: async () => {
        throw new TypeError('bug');
      },
    });
    try {
      const r = await tcpQuery(failing.tcp, { name: `${SUB}.auth.example.org` });
      expect(r.rcode).toBe(2);
      expect(failing.logs.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual(['DNS handler failed: answered SERVFAIL']);
    } finally {
      await failing.stop();
    }
  });
});

describe('connection limits', () => {
  test('idle connections are closed after tcpIdleTimeoutMs', async () => {
    const idle = await startDns({ config: { tcpIdleTimeoutMs: 50 } });
    try {
      const client = new TcpClient(idle.tcp);
      await client.waitClosed();
      expect(client.replies).toEqual([]);
      // The listener itself keeps working.
      expect((await tcpQuery(idle.tcp, { name: 'auth.example.org', type: 6 })).rcode).toBe(0);
    } finally {
      await idle.stop();
    }
  });

  test('past tcpMaxConnections new connections are closed at once; open ones keep working', async () => {
    const capped = await startDns({ config: { tcpMaxConnections: 2 } });
    const clients: TcpClient[] = [];
    try {
      for (const id of [1, 2]) {
        const c = new TcpClient(capped.tcp);
        clients.push(c);
        c.write(frame(buildQuery({ id, name: 'auth.example.org', type: 6 })));
        await c.waitFor(1); // accepted and served
      }
      const extra = new TcpClient(capped.tcp);
      clients.push(extra);
      extra.write(frame(buildQuery({ id: 3, name: 'auth.example.org', type: 6 })));
      await extra.waitClosed();
      expect(extra.replies).toEqual([]);
      const first = clients[0] as TcpClient;
      first.write(frame(buildQuery({ id: 4, name: 'auth.example.org', type: 6 })));
      const replies = await first.waitFor(2);
      expect(parseReply(replies[1] as Buffer).id).toBe(4);
      // UDP is not affected by the TCP cap.
      expect((await udpExchange(capped.udp)).length).toBe(0);
    } finally {
      clients.forEach((c) => c.destroy());
      await capped.stop();
    }
  });
});

describe('protocols and addresses', () => {
  const portOf = (a: AddressInfo): string => `${a.address}:${a.port}`;

  test('protocol udp: no TCP listener; tcp: no UDP listener', async () => {
    const udpOnly = await startDns({ config: { protocol: 'udp' } });
    const bound = { udp: udpOnly.udp, tcp: udpOnly.tcp };
    await udpOnly.stop();
    expect(bound.udp).toBeDefined();
    expect(bound.tcp).toBeUndefined();
    const tcpOnly = await startDns({ config: { protocol: 'tcp4' } });
    const bound2 = { udp: tcpOnly.udp, tcp: tcpOnly.tcp };
    await tcpOnly.stop();
    expect(bound2.udp).toBeUndefined();
    expect(bound2.tcp?.family).toBe('IPv4');
  });

  test('a listen address without a host binds every interface (127.0.0.1 answers)', async () => {
    const any = await startDns({ config: { listen: [':0'], protocol: 'both' } });
    try {
      expect(['::', '0.0.0.0']).toContain(any.udp.address);
      const loop: AddressInfo = { address: '127.0.0.1', family: 'IPv4', port: any.udp.port };
      expect((await udpQuery(loop, { name: 'auth.example.org', type: 6 })).rcode).toBe(0);
      expect((await tcpQuery({ ...loop, port: any.tcp.port }, { name: 'auth.example.org', type: 6 })).rcode).toBe(0);
    } finally {
      await any.stop();
    }
  });

  test('both4 with an empty host binds 0.0.0.0', async () => {
    const v4 = await startDns({ config: { listen: [':0'], protocol: 'both4' } });
    await v4.stop();
    expect([v4.udp.address, v4.tcp.address]).toEqual(['0.0.0.0', '0.0.0.0']);
  });

  test('several listen addresses, each answering', async () => {
    const multi = await startDns({ config: { listen: ['127.0.0.1:0', '127.0.0.2:0'] } });
    try {
      expect(multi.bound.udp.map((a) => a.address)).toEqual(['127.0.0.1', '127.0.0.2']);
      for (const [i, udp] of multi.bound.udp.entries()) {
        expect((await udpQuery(udp, { name: 'auth.example.org', type: 6 })).rcode).toBe(0);
        expect((await tcpQuery(multi.bound.tcp[i] as AddressInfo, { name: 'auth.example.org', type: 6 })).rcode).toBe(0);
      }
      await expect(multi.server.start()).rejects.toThrow('DNS server already started');
    } finally {
      await multi.stop();
    }
  });

  test('address in use: the error says so and nothing stays bound', async () => {
    const taken = `127.0.0.1:${h.udp.port}`;
    const second = startDns({ config: { listen: ['127.0.0.1:0', taken] } });
    await expect(second).rejects.toThrow(`address already in use: ${taken} (udp)`);
    // The server that holds the port still answers.
    expect((await udpQuery(h.udp, { name: 'auth.example.org', type: 6 })).rcode).toBe(0);
    expect(portOf(h.udp)).toBe(taken);
  });
});
