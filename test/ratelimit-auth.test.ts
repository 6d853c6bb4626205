/**
 * Authentication limits through the real API on 127.0.0.1 (issue 8, items 1-3): failures count
 * per (address, X-Api-User), so another account at the same address keeps working; malformed
 * requests have their own cheap limit; a per-address ceiling; the token is taken before bcrypt, so
 * 100 wrong keys at once do exactly the allowance of compares; each account's write budget. Each
 * test is its own loopback source address; the limits' clock is moved by hand, never waited for.
 */
import { parseConfig } from '../src/config';
import type { RateLimitConfig } from '../src/config/types';
import { authHeaders, type RawResponse, register, type Registration, send, txtValue } from './support/api-client';
import { startApi, type ApiHarness } from './support/api-harness';

const LIMITED = '{"error": "rate_limited"}';
const defaults = (overrides: string): RateLimitConfig =>
  parseConfig(`[general]\ndomain = "auth.example.org"\n[database]\nengine = "sqlite"\nconnection = "x.db"\n[ratelimit]\n${overrides}\n`, {}).ratelimit;

let clock = 0;
let t: ApiHarness;
let a: Registration;
let b: Registration;
beforeAll(async () => {
  // The defaults, but a per-address ceiling reachable in a test and a smaller write budget
  // (20 at once, then one a minute; a and b stay within it across these tests).
  // Connections uncapped: these count what the request limits alone let through.
  t = await startApi({ maxConnectionsPerAddress: 0 }, { rateLimit: defaults('auth_failures_per_address = 60\nupdate_burst = 20\nupdate_per_hour = 60'), limitClock: () => clock });
  [a, b] = [await register(t.url), await register(t.url)];
});
afterAll(async () => {
  await t?.stop();
});

const update = (from: string, account: Registration, key = account.password): Promise<RawResponse> =>
  send(t.url, {
    path: '/update',
    localAddress: from,
    headers: authHeaders(account, { 'X-Api-Key': key }),
    body: JSON.stringify({ subdomain: account.subdomain, txt: txtValue(Math.random()) }),
  });
const wrongKey = 'w'.repeat(40);
const count = (answers: RawResponse[]): Record<number, number> =>
  answers.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

test("20 failures for account A lock (address, A) only: A then gets 429, B's valid update from there 200", async () => {
  const answers: RawResponse[] = [];
  for (let i = 0; i < 22; i++) answers.push(await update('127.0.1.1', a, wrongKey));
  expect(count(answers)).toEqual({ 401: 20, 429: 2 });
  const right = await update('127.0.1.1', a);
  expect([right.status, right.body]).toEqual([429, LIMITED]);
  expect(Number(right.headers['retry-after'])).toBe(30); // 20 per 600 s: one every 30 s
  expect((await update('127.0.1.1', b)).status).toBe(200);
  expect((await update('127.0.1.2', a)).status).toBe(200);
  clock += 30;
  expect((await update('127.0.1.1', a)).status).toBe(200);
});

test('header-less POSTs have their own limit: 20 of them, then a valid update from that address is 200', async () => {
  const bare = await Promise.all(Array.from({ length: 20 }, () => send(t.url, { path: '/update', localAddress: '127.0.2.1', body: '{}' })));
  expect(count(bare)).toEqual({ 401: 20 });
  expect((await update('127.0.2.1', a)).status).toBe(200);
  expect((await update('127.0.2.1', b)).status).toBe(200);
});

test('the cheap limit for malformed requests trips on its own (auth_malformed), sparing well-formed ones', async () => {
  const bare = [];
  for (let i = 0; i < 10; i++) bare.push(...(await Promise.all(Array.from({ length: 101 }, () => send(t.url, { path: '/update', localAddress: '127.0.2.2', headers: { 'X-Api-User': 'nope' } })))));
  expect(count(bare)).toEqual({ 401: 1000, 429: 10 });
  expect((await update('127.0.2.2', a)).status).toBe(200);
});

test('the per-address ceiling: 60 users failing from one address, then even a valid new user is 429; a user known there is not', async () => {
  expect((await update('127.0.3.1', b)).status).toBe(200); // b has authenticated from here
  const strangers = Array.from({ length: 61 }, (_, i) => ({ ...a, username: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }));
  const answers: RawResponse[] = [];
  for (let i = 0; i < strangers.length; i += 4) answers.push(...(await Promise.all(strangers.slice(i, i + 4).map((s) => update('127.0.3.1', s, wrongKey)))));
  expect(count(answers)).toEqual({ 401: 60, 429: 1 });
  expect((await update('127.0.3.1', a)).status).toBe(429);
  expect((await update('127.0.3.1', b)).status).toBe(200);
  expect((await update('127.0.3.2', a)).status).toBe(200);
});

test('100 wrong keys at once from one address: exactly the allowance (20) is checked and 401, the other 80 are 429', async () => {
  const answers = await Promise.all(Array.from({ length: 100 }, () => update('127.0.4.1', a, wrongKey)));
  expect(count(answers)).toEqual({ 401: 20, 429: 80 });
  expect(answers.filter((r) => r.status === 429).every((r) => r.body === LIMITED && Number(r.headers['retry-after']) >= 1)).toBe(true);
  expect((await update('127.0.4.1', b)).status).toBe(200);
  // The 80 refusals are not 80 log lines: one a second for this address (refusal-log.ts).
  const logged = t.logs.filter((l) => l.client === '127.0.4.1' && l.status === 429);
  expect(logged.length).toBeGreaterThanOrEqual(1);
  expect(logged.length).toBeLessThan(80);
});

test('valid updates in parallel from one address are served (they wait for a slot, they are not refused)', async () => {
  const answers = await Promise.all(Array.from({ length: 3 }, () => Promise.all([update('127.0.5.1', b), update('127.0.5.1', b)])));
  expect(count(answers.flat())).toEqual({ 200: 6 });
});

test("each account's writes: update_burst, then 429 from any address; another account is unaffected; then the hourly rate", async () => {
  const fresh = await register(t.url);
  const answers: RawResponse[] = [];
  for (let i = 0; i < 20; i++) answers.push(await update(`127.0.6.${i + 1}`, fresh));
  const over = await update('127.0.6.99', fresh);
  expect(count(answers)).toEqual({ 200: 20 });
  expect([over.status, over.body, over.headers['retry-after']]).toEqual([429, LIMITED, '60']);
  expect((await update('127.0.6.9', a)).status).toBe(200);
  clock += 60;
  expect([(await update('127.0.6.9', fresh)).status, (await update('127.0.6.9', fresh)).status]).toEqual([200, 429]);
});
