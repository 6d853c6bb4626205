/**
 * POST /register with the default limits (issue 8, item 4): an acme-dns config without a
 * [ratelimit] section lets a provisioning script's burst of 100 through from one address, and
 * still stops a flood right after it. The limits' clock is moved by hand, never waited for.
 */
import { parseConfig } from '../src/config';
import { type RawResponse, send } from './support/api-client';
import { startApi, type ApiHarness } from './support/api-harness';

// acme-dns's config has no [ratelimit] section: these are the defaults it gets.
const ACME_DNS_DEFAULTS = parseConfig('[general]\ndomain = "auth.example.org"\n[database]\nengine = "sqlite3"\nconnection = "x.db"\n', {}).ratelimit;

let clock = 0;
let t: ApiHarness;
beforeAll(async () => {
  // Connections uncapped: these count what the request limits alone let through.
  t = await startApi({ maxConnectionsPerAddress: 0 }, { rateLimit: ACME_DNS_DEFAULTS, limitClock: () => clock });
});
afterAll(async () => {
  await t?.stop();
});

const registerFrom = (from: string): Promise<RawResponse> => send(t.url, { path: '/register', localAddress: from, headers: { 'Content-Type': 'application/json' } });

test('100 registrations from one address within a minute all succeed; the 101st is 429, another address still 201', async () => {
  const answers: RawResponse[] = [];
  // Ten at a time, as a provisioning script in parallel would.
  for (let i = 0; i < 10; i++) answers.push(...(await Promise.all(Array.from({ length: 10 }, () => registerFrom('127.0.7.1')))));
  expect(answers.filter((r) => r.status === 201).length).toBe(100);
  const flood = await Promise.all(Array.from({ length: 10 }, () => registerFrom('127.0.7.1')));
  expect(flood.map((r) => r.status)).toEqual(Array<number>(10).fill(429));
  expect(flood[0]?.headers['retry-after']).toBe('60'); // one an hour's 60: one a minute
  expect((await registerFrom('127.0.7.2')).status).toBe(201);
});

test('the flood goes on at the sustained rate only: one a minute', async () => {
  clock += 60;
  const next = await Promise.all(Array.from({ length: 3 }, () => registerFrom('127.0.7.1')));
  expect(next.map((r) => r.status).sort()).toEqual([201, 429, 429]);
  clock += 3600;
  const hour = await Promise.all(Array.from({ length: 62 }, () => registerFrom('127.0.7.1')));
  expect(hour.filter((r) => r.status === 201).length).toBe(60);
});
