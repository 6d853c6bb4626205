/**
 * A request that takes too long to arrive (slowloris): one whose headers are still coming 5 s
 * after its first byte (Go's ReadTimeout in acme-dns) is answered 408 and closed, however often
 * it sends a byte, within the timeout plus one period of Node's check (5 s since issue 12, when
 * the check's once-a-second wake-up showed in the DNS tail). Meanwhile the server answers others.
 */
import net from 'node:net';
import { send } from './support/api-client';
import { startApi, type ApiHarness } from './support/api-harness';

/** The timeout (5 s) plus one period of the check (5 s) plus slack for a loaded machine. */
const DEADLINE_MS = 12_500;

let t: ApiHarness;
beforeAll(async () => {
  t = await startApi();
});
afterAll(async () => {
  await t?.stop();
});

test('headers trickled a line a second: 408 and closed after 5 s, before 12.5 s; others are served meanwhile', async () => {
  const { hostname, port } = new URL(t.url);
  const socket = net.connect({ host: hostname, port: Number(port) });
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  // Closed by the server, or this test's own deadline (a check that never comes must fail, not hang).
  const closed = new Promise<number>((resolve) => {
    socket.on('close', () => resolve(Date.now()));
    setTimeout(() => resolve(Infinity), DEADLINE_MS).unref();
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const started = Date.now();
  socket.write('GET /health HTTP/1.1\r\nHost: acmedns\r\n');
  let line = 0;
  const trickle = setInterval(() => {
    if (!socket.destroyed) socket.write(`X-Slow-${(line += 1)}: a\r\n`);
  }, 1_000);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await send(t.url, { method: 'GET', path: '/health' })).status).toBe(200);
    const elapsed = (await closed) - started;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(elapsed).toBeGreaterThanOrEqual(5_000);
    expect(elapsed).toBeLessThan(DEADLINE_MS);
    expect(line).toBeGreaterThanOrEqual(4);
  } finally {
    clearInterval(trickle);
    socket.destroy();
  }
}, 20_000);
