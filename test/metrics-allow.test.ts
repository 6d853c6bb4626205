/**
 * `[metrics] allow`: /metrics answers only the sources it names, on the API listener and on a
 * listener of its own; everyone else gets exactly the 404 of a path that does not exist. The
 * client outside the list is a loopback address too (127.0.0.2, connected from with localAddress)
 * so the test needs no network.
 */
import { type RawResponse, send } from './support/api-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';

const OUTSIDE = '127.0.0.2';
const INSIDE = '127.0.0.1';

/** The parts of a reply a client can compare (Date differs from one second to the next). */
function visible(res: RawResponse): unknown {
  const { date: _date, ...headers } = res.headers;
  return { status: res.status, headers, body: res.body };
}

describe('metrics on the API listener, allow = ["127.0.0.1/32"]', () => {
  let t: TestDaemon;
  beforeAll(async () => {
    t = await startTestDaemon({ extra: '[metrics]\nallow = ["127.0.0.1/32"]\n' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  test('inside: 200 with the exposition', async () => {
    const res = await send(t.api, { method: 'GET', path: '/metrics', localAddress: INSIDE });
    expect(res.status).toBe(200);
    expect(res.body).toContain('acmedns_api_requests_total');
  });

  test.each([
    ['GET', '/metrics'],
    ['GET', '//metrics/'],
    ['POST', '/metrics'],
    ['OPTIONS', '/metrics'],
  ])('outside: %s %s is the not-found reply, indistinguishable from a path that does not exist', async (method, path) => {
    const denied = await send(t.api, { method, path, localAddress: OUTSIDE });
    const absent = await send(t.api, { method, path: '/no-such-path', localAddress: OUTSIDE });
    expect(denied.status).toBe(404);
    expect(denied.body).toBe('404 page not found\n');
    expect(visible(denied)).toEqual(visible(absent));
  });

  test('the refusal is logged with its reason, for the operator whose Prometheus gets 404', async () => {
    await send(t.api, { method: 'GET', path: '/metrics', localAddress: OUTSIDE });
    expect(t.logText()).toContain('not in metrics.allow');
  });

  test.each(['/METRICS', '/%6detrics', '/Metrics', '/x/../metrics'])('inside: GET %s is 404 (only the exact route)', async (path) => {
    const res = await send(t.api, { method: 'GET', path, localAddress: INSIDE });
    expect([res.status, res.body]).toEqual([404, '404 page not found\n']);
  });
});

describe('metrics on the API behind a trusted proxy on loopback', () => {
  let t: TestDaemon;
  beforeAll(async () => {
    // The proxy is 127.0.0.1 (trusted by default); the resolved client decides, not the peer.
    t = await startTestDaemon({
      extra: '[metrics]\nallow = ["127.0.0.0/8", "192.0.2.10/32"]\n',
      env: { ACMEDNS_API_USE_HEADER: 'true' },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  test.each<[string, number]>([
    ['203.0.113.5', 404], // the Internet, through the proxy: the proxy's loopback peer must not let it in
    ['192.0.2.10', 200], // the Prometheus server named in allow
    ['192.0.2.10, 203.0.113.5', 404], // a prepended allowed address is not the client (right-most counts)
  ])('X-Forwarded-For: %s -> %d', async (forwarded, status) => {
    const res = await send(t.api, { method: 'GET', path: '/metrics', headers: { 'X-Forwarded-For': forwarded }, localAddress: INSIDE });
    expect(res.status).toBe(status);
  });

  test('no header from the proxy address itself: the peer is the client (inside)', async () => {
    expect((await send(t.api, { method: 'GET', path: '/metrics', localAddress: INSIDE })).status).toBe(200);
  });
});

describe('metrics on a listener of their own, allow = ["127.0.0.1/32"]', () => {
  let t: TestDaemon;
  let url: string;
  beforeAll(async () => {
    t = await startTestDaemon({ extra: '[metrics]\nlisten = "127.0.0.1:0"\nallow = ["127.0.0.1/32"]\n' });
    url = t.daemon.addresses.metrics?.url ?? '';
  });
  afterAll(async () => {
    await t?.stop();
  });

  test('not on the API listener, and that 404 is not blamed on metrics.allow', async () => {
    expect((await send(t.api, { method: 'GET', path: '/metrics', localAddress: OUTSIDE })).status).toBe(404);
    expect(t.logText()).not.toContain('not in metrics.allow');
  });

  test('inside: 200', async () => {
    const res = await send(url, { method: 'GET', path: '/metrics', localAddress: INSIDE });
    expect(res.status).toBe(200);
    expect(res.body).toContain('acmedns_dns_queries_total');
  });

  test.each(['GET', 'POST'])('outside: %s /metrics is the not-found reply of that listener', async (method) => {
    const denied = await send(url, { method, path: '/metrics', localAddress: OUTSIDE });
    const absent = await send(url, { method, path: '/nope', localAddress: OUTSIDE });
    expect([denied.status, denied.body]).toEqual([404, '404 page not found\n']);
    expect(visible(denied)).toEqual(visible(absent));
  });
});
