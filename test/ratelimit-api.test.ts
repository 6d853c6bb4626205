/**
 * Rate limits through the real daemon: /register per client address and failed authentications
 * per (address, user) (test/ratelimit-auth.test.ts has the rest of the authentication limits),
 * 429 `{"error": "rate_limited"}` with Retry-After, other addresses unaffected (requests from other
 * loopback source addresses), the forwarded address behind a trusted proxy, and 0 = off.
 */
import crypto from 'node:crypto';
import { parseConfig } from '../src/config';
import { send, txtValue, type Registration } from './support/api-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { scrape, valueOf } from './support/prometheus';

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly retryAfter: string | undefined;
}

/** One POST from a chosen loopback source address, with Retry-After picked out. */
async function request(
  api: string,
  options: { path: string; from?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  const res = await send(api, {
    path: options.path,
    localAddress: options.from ?? '127.0.0.1',
    headers: { 'Content-Type': 'application/json', ...options.headers },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const retry = res.headers['retry-after'];
  return { status: res.status, body: res.body, retryAfter: Array.isArray(retry) ? retry[0] : retry };
}

const registerFrom = async (api: string, from: string, headers: Record<string, string> = {}): Promise<Answer> =>
  request(api, { path: '/register', from, headers });

const updateFrom = (api: string, from: string, account: Registration, key = account.password): Promise<Answer> =>
  request(api, {
    path: '/update',
    from,
    headers: { 'X-Api-User': account.username, 'X-Api-Key': key },
    body: JSON.stringify({ subdomain: account.subdomain, txt: txtValue(crypto.randomUUID()) }),
  });

const LIMITED = '{"error": "rate_limited"}';

describe('rate limits on', () => {
  let t: TestDaemon;
  beforeAll(async () => {
    // One registration per hour after a burst of 3; 2 failed authentications per hour per
    // (address, user): fewer than the 10 parallel valid updates below, which must all succeed.
    const extra = '[ratelimit]\nregister_per_hour = 1\nregister_burst = 3\nauth_failures = 2\nauth_failure_window = "1h"\n';
    t = await startTestDaemon({ extra, env: { ACMEDNS_API_USE_HEADER: 'true' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  test('/register: the burst, then 429 with Retry-After; another address is unaffected', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await registerFrom(t.api, '127.0.0.11')).status);
    expect(statuses).toEqual([201, 201, 201]);
    const refused = await registerFrom(t.api, '127.0.0.11');
    expect([refused.status, refused.body]).toEqual([429, LIMITED]);
    // One token per hour: the next one is at most an hour away.
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(3600);
    expect((await registerFrom(t.api, '127.0.0.12')).status).toBe(201);
    expect(t.logText()).toMatch(/"client":"127\.0\.0\.11".*"outcome":"rate_limited".*"status":429/);
  });

  test('behind a trusted proxy the forwarded client is limited, not the proxy', async () => {
    const via = (client: string): Promise<Answer> => registerFrom(t.api, '127.0.0.13', { 'X-Forwarded-For': client });
    for (let i = 0; i < 3; i++) expect((await via('198.51.100.7')).status).toBe(201);
    expect((await via('198.51.100.7')).status).toBe(429);
    expect((await via('198.51.100.8')).status).toBe(201);
  });

  test('failed authentications of one account: then 429 for it before any key is checked, even the right one; other addresses unaffected', async () => {
    const account = JSON.parse((await registerFrom(t.api, '127.0.0.20')).body) as Registration;
    expect((await updateFrom(t.api, '127.0.0.21', account, 'x'.repeat(40))).status).toBe(401);
    expect((await updateFrom(t.api, '127.0.0.21', account, 'y'.repeat(40))).status).toBe(401);
    const blocked = await updateFrom(t.api, '127.0.0.21', account);
    expect([blocked.status, blocked.body]).toEqual([429, LIMITED]);
    expect(Number(blocked.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(blocked.retryAfter)).toBeLessThanOrEqual(1800);
    const read = await request(t.api, { path: '/account', from: '127.0.0.21' });
    expect(read.status).toBe(405); // POST /account is no route; GET and DELETE share the allowance:
    const viaAccount = (
      await send(t.api, { method: 'GET', path: '/account', localAddress: '127.0.0.21', headers: { 'X-Api-User': account.username, 'X-Api-Key': account.password } })
    ).status;
    expect(viaAccount).toBe(429);
    expect((await updateFrom(t.api, '127.0.0.22', account)).status).toBe(200);
  });

  test('successful updates are not limited by the failure allowance, however many, in sequence or in parallel', async () => {
    const account = JSON.parse((await registerFrom(t.api, '127.0.0.30')).body) as Registration;
    const sequential = [];
    for (let i = 0; i < 10; i++) sequential.push((await updateFrom(t.api, '127.0.0.31', account)).status);
    const parallel = await Promise.all(Array.from({ length: 10 }, () => updateFrom(t.api, '127.0.0.31', account)));
    expect([...sequential, ...parallel.map((a) => a.status)]).toEqual(Array<number>(20).fill(200));
  });

  test('429s are counted like any status; they are not authentication failures', async () => {
    const s = await scrape(`${t.api}/metrics`);
    expect(valueOf(s, 'acmedns_api_requests_total', { route: '/register', status: '429' })).toBe(2);
    expect(valueOf(s, 'acmedns_api_requests_total', { route: '/update', status: '429' })).toBe(1);
    expect(valueOf(s, 'acmedns_auth_failures_total', { reason: 'wrong_key' })).toBe(2);
  });
});

describe('rate limits off (0)', () => {
  let t: TestDaemon;
  beforeAll(async () => {
    // The same small burst and window as above, but with each limit at 0.
    t = await startTestDaemon({ extra: '[ratelimit]\nregister_per_hour = 0\nregister_burst = 1\nauth_failures = 0\nauth_failure_window = "1h"\n' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  test('registrations and failed authentications go on unlimited', async () => {
    const registered = [];
    for (let i = 0; i < 4; i++) registered.push(await registerFrom(t.api, '127.0.0.41'));
    expect(registered.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    const account = JSON.parse((registered[0] as Answer).body) as Registration;
    const failures = [];
    for (let i = 0; i < 4; i++) failures.push((await updateFrom(t.api, '127.0.0.42', account, 'z'.repeat(40))).status);
    expect(failures).toEqual([401, 401, 401, 401]);
    expect((await updateFrom(t.api, '127.0.0.42', account)).status).toBe(200);
  });
});

describe('[ratelimit] config', () => {
  const base = '[general]\ndomain = "auth.example.org"\n[database]\nengine = "sqlite"\nconnection = "x.db"\n';
  test('defaults: on, at levels no honest client meets', () => {
    expect(parseConfig(base, {}).ratelimit).toEqual({
      registerPerHour: 60,
      registerBurst: 100,
      authFailures: 20,
      authFailureWindowSeconds: 600,
      authFailuresPerAddress: 200,
      authMalformed: 1000,
      authInFlight: 1,
      updatePerHour: 600,
      updateBurst: 200,
      checkPerHour: 60,
      checkBurst: 10,
      checkPerAddressPerHour: 120,
      checkPerAddressBurst: 20,
    });
  });
  test.each([
    ['register_per_hour = -1', 'ratelimit.register_per_hour'],
    ['register_burst = 0', 'ratelimit.register_burst'],
    ['auth_failures = 1.5', 'ratelimit.auth_failures'],
    ['auth_failure_window = 0', 'ratelimit.auth_failure_window'],
    ['auth_failure_window = "forever"', 'ratelimit.auth_failure_window'],
    ['auth_failures_per_address = -1', 'ratelimit.auth_failures_per_address'],
    ['auth_malformed = "many"', 'ratelimit.auth_malformed'],
    ['auth_in_flight = 10001', 'ratelimit.auth_in_flight'],
    ['update_per_hour = 0.5', 'ratelimit.update_per_hour'],
    ['update_burst = 0', 'ratelimit.update_burst'],
  ])('%s is refused naming %s', (line, key) => {
    expect(() => parseConfig(`${base}[ratelimit]\n${line}\n`, {})).toThrow(key);
  });
  test('environment overrides', () => {
    const env = { ACMEDNS_RATELIMIT_AUTH_FAILURE_WINDOW: '1h', ACMEDNS_RATELIMIT_REGISTER_PER_HOUR: '0', ACMEDNS_RATELIMIT_UPDATE_BURST: '7', ACMEDNS_RATELIMIT_AUTH_IN_FLIGHT: '0' };
    expect(parseConfig(base, env).ratelimit).toMatchObject({ registerPerHour: 0, authFailureWindowSeconds: 3600, updateBurst: 7, authInFlight: 0 });
  });
});
