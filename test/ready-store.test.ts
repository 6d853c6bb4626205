/**
 * GET /ready reports the store: 200 `{"store": "ok"}` with SQLite and with a running PostgreSQL,
 * 503 `{"store": "unavailable"}` while PostgreSQL is stopped, 200 again after it restarts (no
 * restart of ours). GET /health stays acme-dns's: 200, empty body, whatever the store does.
 * GET /status (the page's) reports the same as its `store` field.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../src/store/sqlite';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { POSTGRES_URL_ENV, startPostgres, type TestPostgres } from './support/postgres';
import { scrape, valueOf } from './support/prometheus';

interface Seen {
  readonly status: number;
  readonly type: string | null;
  readonly body: string;
}

async function get(url: string): Promise<Seen> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

const OK: Seen = { status: 200, type: 'application/json', body: '{"store": "ok"}' };
const UNAVAILABLE: Seen = { status: 503, type: 'application/json', body: '{"store": "unavailable"}' };
const HEALTHY: Seen = { status: 200, type: null, body: '' };

describe('readiness with SQLite', () => {
  let t: TestDaemon;
  beforeAll(async () => {
    t = await startTestDaemon();
  });
  afterAll(async () => {
    await t?.stop();
  });

  test('/ready is 200 ok; /health is unchanged', async () => {
    expect(await get(`${t.api}/ready`)).toEqual(OK);
    expect(await get(`${t.api}/health`)).toEqual(HEALTHY);
  });

  test('the ping is timed like every store call', async () => {
    await get(`${t.api}/ready`);
    expect(valueOf(await scrape(`${t.api}/metrics`), 'acmedns_store_operation_seconds_count', { op: 'ping' })).toBeGreaterThanOrEqual(2);
  });
});

test('a closed SQLite store fails its ping with StoreUnavailableError', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-ping-'));
  try {
    const store = openSqliteStore({ file: path.join(dir, 'a.db'), txt: { keep: 4, maxAgeSeconds: 0 }, zone: 'auth.example.org' });
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toMatchObject({ name: 'StoreUnavailableError' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const external = Boolean(process.env[POSTGRES_URL_ENV]);
const describeOwnServer = external ? describe.skip : describe;

describeOwnServer(`readiness with PostgreSQL (skipped when ${POSTGRES_URL_ENV} names a server these tests cannot stop)`, () => {
  let pg: TestPostgres;
  let t: TestDaemon;
  beforeAll(async () => {
    pg = await startPostgres();
    t = await startTestDaemon({ postgresUrl: await pg.createDatabase() });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await pg?.destroy();
  });

  test('200, then 503 while the database is stopped, then 200 after it is back', async () => {
    expect(await get(`${t.api}/ready`)).toEqual(OK);

    await pg.stop();
    expect(await get(`${t.api}/ready`)).toEqual(UNAVAILABLE);
    expect(await get(`${t.api}/health`)).toEqual(HEALTHY);
    // The page's public status says the same, as a field: the status itself stays 200.
    const status = await get(`${t.api}/status`);
    expect([status.status, JSON.parse(status.body)]).toEqual([200, expect.objectContaining({ store: 'unavailable', zone: 'auth.example.org' })]);
    const during = await scrape(`${t.api}/metrics`);
    expect(valueOf(during, 'acmedns_store_errors_total', { op: 'ping' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(during, 'acmedns_api_requests_total', { route: '/ready', status: '503' })).toBe(1);

    await pg.start();
    // The pool connects anew on demand; a connection the restart broke may fail one more ping.
    let seen = await get(`${t.api}/ready`);
    for (let i = 0; i < 50 && seen.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await get(`${t.api}/ready`);
    }
    expect(seen).toEqual(OK);
    expect(JSON.parse((await get(`${t.api}/status`)).body)).toMatchObject({ store: 'ready' });
  });
});
