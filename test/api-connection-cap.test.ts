/**
 * Open API connections per client address (api.max_connections_per_address): one address holding
 * that many keep-alive connections gets its next one closed before a byte is answered, while another
 * address is served; a closed connection frees its place; a trusted proxy whose header is
 * believed is not capped. Clients are other loopback addresses (localAddress), no network.
 */
import net from 'node:net';
import { send } from './support/api-client';
import { startApi, type ApiHarness } from './support/api-harness';

/** The default of api.max_connections_per_address. */
const MAX_CONNECTIONS_PER_ADDRESS = 32;
const HEALTH = 'GET /health HTTP/1.1\r\nHost: acmedns\r\n\r\n';

/** A keep-alive connection from `from`, and what became of its first GET /health. */
interface Probe {
  readonly socket: net.Socket;
  /** The status line, or 'closed' when the server closed it without answering. */
  readonly outcome: Promise<string>;
}

function probe(url: string, from: string): Probe {
  const { hostname, port } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port), localAddress: from });
  const outcome = new Promise<string>((resolve) => {
    let data = '';
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      const end = data.indexOf('\r\n');
      if (end >= 0) resolve(data.slice(0, end));
    });
    socket.on('error', () => resolve('closed'));
    socket.on('close', () => resolve('closed'));
  });
  socket.on('connect', () => socket.write(HEALTH));
  return { socket, outcome };
}

/** Opens `n` connections from `from` one after another, each answered before the next opens. */
async function hold(url: string, from: string, n: number): Promise<Probe[]> {
  const held: Probe[] = [];
  for (let i = 0; i < n; i++) {
    const p = probe(url, from);
    held.push(p);
    await p.outcome;
  }
  return held;
}

describe('API connections per address (use_header off: the peer is the client)', () => {
  let t: ApiHarness;
  let held: Probe[] = [];
  beforeAll(async () => {
    t = await startApi();
  });
  afterAll(async () => {
    for (const p of held) p.socket.destroy();
    await t?.stop();
  });

  test('the cap is reached: every held connection answered, the next one from that address closed unanswered', async () => {
    held = await hold(t.url, '127.0.0.2', MAX_CONNECTIONS_PER_ADDRESS);
    const outcomes = await Promise.all(held.map((p) => p.outcome));
    expect(outcomes).toEqual(Array(MAX_CONNECTIONS_PER_ADDRESS).fill('HTTP/1.1 200 OK'));
    expect(await probe(t.url, '127.0.0.2').outcome).toBe('closed');
  });

  test('another address is served meanwhile', async () => {
    const res = await send(t.url, { method: 'GET', path: '/health', localAddress: '127.0.0.3' });
    expect(res.status).toBe(200);
  });

  test('a closed connection gives its place back', async () => {
    const gone = held.shift();
    gone?.socket.destroy();
    // The server sees the close a moment later; retry (bounded) until the place is free.
    let outcome = 'closed';
    for (let i = 0; i < 50 && outcome === 'closed'; i++) {
      const p = probe(t.url, '127.0.0.2');
      outcome = await p.outcome;
      if (outcome === 'closed') await new Promise((r) => setTimeout(r, 20));
      else held.push(p);
    }
    expect(outcome).toBe('HTTP/1.1 200 OK');
    expect(await probe(t.url, '127.0.0.2').outcome).toBe('closed');
  });
});

describe('API connections from a trusted proxy whose header is believed', () => {
  let t: ApiHarness;
  let held: Probe[] = [];
  beforeAll(async () => {
    t = await startApi({ useHeader: true, trustedProxies: ['127.0.0.0/8'] });
  });
  afterAll(async () => {
    for (const p of held) p.socket.destroy();
    await t?.stop();
  });

  test('are not capped: its clients all arrive on its connections', async () => {
    held = await hold(t.url, '127.0.0.2', MAX_CONNECTIONS_PER_ADDRESS + 8);
    const outcomes = await Promise.all(held.map((p) => p.outcome));
    expect(outcomes).toEqual(Array(MAX_CONNECTIONS_PER_ADDRESS + 8).fill('HTTP/1.1 200 OK'));
  });
});
