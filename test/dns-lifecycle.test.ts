/** The server's life: binding per protocol and address, bind errors, store failures, stop(). */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { StoreUnavailableError } from '../src/core/errors';
import { buildQuery, frame, parseReply, TcpClient, tcpQuery, udpQuery } from './support/dns-client';
import { type Harness, SAMPLE_SUB, sampleAccounts, startDns } from './support/dns-server';

const SUB = SAMPLE_SUB;
const accounts = sampleAccounts();

let h: Harness;
beforeAll(async () => {
  h = await startDns({ accounts });
});
afterAll(async () => {
  await h.stop();
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
      config: { records: ['auth.example.org. A 198.51.100.1', 'ns1.auth.example.org. A 198.51.100.2'] },
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
      // Names that need no lookup are still answered: the static zone does not need the store.
      expect((await udpQuery(failing.udp, { name: 'auth.example.org', type: 6 })).rcode).toBe(0);
      expect((await udpQuery(failing.udp, { name: 'ns1.auth.example.org', type: 1 })).rcode).toBe(0);
      expect((await udpQuery(failing.udp, { name: 'ns1.auth.example.org', type: 28 })).rcode).toBe(0);
      expect((await udpQuery(failing.udp, { name: 'nobody.auth.example.org', type: 1 })).rcode).toBe(2);
    } finally {
      await failing.stop();
    }
  });

  test('a flood of 1,000 SERVFAILs from a failing store logs one line, not 1,000', async () => {
    const failing = await startDns({
      lookup: async () => {
        throw new StoreUnavailableError('database is locked');
      },
    });
    try {
      const client = new TcpClient(failing.tcp);
      client.write(Buffer.concat(Array.from({ length: 1000 }, (_, i) => frame(buildQuery({ id: i, name: `x${i}.auth.example.org` })))));
      const replies = await client.waitFor(1000);
      client.destroy();
      expect(replies.filter((r) => parseReply(r).rcode === 2)).toHaveLength(1000);
      // Well inside one interval (10 s): the first line only; the count follows on the next.
      const lines = failing.logs.filter((l) => l.msg === 'store unavailable: answered SERVFAIL');
      expect(lines.map((l) => l.suppressed)).toEqual([0]);
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

  test('IPv6: [::1] with both6, and both6 without a host binds :: for IPv6 only', async () => {
    const v6 = await startDns({ config: { listen: ['[::1]:0'], protocol: 'both6' } });
    try {
      expect([v6.udp.address, v6.tcp.address]).toEqual(['::1', '::1']);
      expect((await udpQuery(v6.udp, { name: 'auth.example.org', type: 6 })).rcode).toBe(0);
      expect((await tcpQuery(v6.tcp, { name: 'auth.example.org', type: 6 })).rcode).toBe(0);
    } finally {
      await v6.stop();
    }
    const any6 = await startDns({ config: { listen: [':0'], protocol: 'both6' } });
    await any6.stop();
    expect([any6.udp.address, any6.udp.family, any6.tcp.address]).toEqual(['::', 'IPv6', '::']);
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
