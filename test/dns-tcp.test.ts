/** DNS over TCP (RFC 7766): framing, pipelining, half-close, idle timeout, connection cap. */
import { buildQuery, frame, parseReply, TcpClient, tcpQuery, txtValues, udpExchange } from './support/dns-client';
import { type Harness, SAMPLE_SUB, SAMPLE_VALUES, sampleAccounts, startDns } from './support/dns-server';

const SUB = SAMPLE_SUB;
const VALUES = SAMPLE_VALUES;
const accounts = sampleAccounts();

let h: Harness;
beforeAll(async () => {
  h = await startDns({ accounts });
});
afterAll(async () => {
  await h.stop();
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
    expect(txtValues(parseReply(reply as Buffer))).toEqual(VALUES);
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
  let slow: Harness;
  beforeEach(async () => {
    const gate = new Promise<void>((r) => (release = r));
    slow = await startDns({
      lookup: async (sub) => {
        if (sub !== 'slow') return accounts.get(sub);
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
    expect(txtValues(parseReply(replies[1] as Buffer))).toEqual(['late']);
  });

  test('a client that vanishes before its answer: the failed write is absorbed', async () => {
    const client = new TcpClient(slow.tcp);
    client.write(frame(buildQuery({ id: 1, name: 'slow.auth.example.org' })));
    // Our query is in the handler once a later one on the same connection is answered.
    client.write(frame(buildQuery({ id: 2, name: 'auth.example.org', type: 6 })));
    await client.waitFor(1);
    client.socket.resetAndDestroy();
    await client.waitClosed();
    release();
    expect((await tcpQuery(slow.tcp, { name: `${SUB}.auth.example.org` })).rcode).toBe(0);
    await slow.stop(); // waits for the answer that has nowhere to go
    expect(slow.logs.filter((l) => l.level >= 40)).toEqual([]);
  });
});

describe('queries in progress per connection', () => {
  test('at most 64 at once; the rest wait in the buffer and are all answered', async () => {
    let inside = 0;
    let maxInside = 0;
    let onEnter: () => void = () => undefined;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const capped = await startDns({
      lookup: async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        onEnter();
        await gate;
        inside--;
        return { values: ['v'] };
      },
    });
    try {
      const client = new TcpClient(capped.tcp);
      client.write(Buffer.concat(Array.from({ length: 100 }, (_, i) => frame(buildQuery({ id: i, name: `q${i}.auth.example.org` })))));
      while (inside < 64) await new Promise<void>((r) => (onEnter = r));
      release();
      const replies = await client.waitFor(100);
      client.destroy();
      expect(replies.map((r) => parseReply(r).id).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect(maxInside).toBe(64);
    } finally {
      release();
      await capped.stop();
    }
  });
});

describe('connection limits', () => {
  test('idle connections are closed after tcpIdleTimeoutMs', async () => {
    const idle = await startDns({ config: { tcpIdleTimeoutMs: 200 } });
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
