import net from 'node:net';
import { StoreUnavailableError } from '../src/core/errors';
import { openPostgresStore } from '../src/store';
import type { Store } from '../src/store';
import { captureLogger } from './support/capture-logger';
import { POSTGRES_URL_ENV, startPostgres, type TestPostgres } from './support/postgres';
import { account, txt } from './support/store-contract';

const policy = { keep: 4, maxAgeSeconds: 0 };
// Short bounds so a dead server is noticed quickly; the assertions never look at the clock.
const pool = { connectionTimeoutMs: 2000, readTimeoutMs: 2000, writeTimeoutMs: 4000 };

const external = Boolean(process.env[POSTGRES_URL_ENV]);
const describeOwnServer = external ? describe.skip : describe;

describeOwnServer(`postgres store faults (skipped when ${POSTGRES_URL_ENV} names a server these tests cannot stop)`, () => {
  let pg: TestPostgres;
  let store: Store | undefined;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 120_000);
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  afterAll(async () => {
    await pg?.destroy();
  });

  it('fails calls with StoreUnavailableError while the server is down, then serves everything acknowledged', async () => {
    const log = captureLogger();
    store = await openPostgresStore({ connection: await pg.createDatabase(), txt: policy, zone: 'auth.example.org', pool, logger: log.logger });
    const a = account();
    await store.createAccount(a);
    await store.putTxt(a.subdomain, txt('one'), 100);
    await store.putTxt(a.subdomain, txt('two'), 101);
    await store.putChallenge('_acme-challenge.auth.example.org', txt('own'), 500);

    // Idle pooled connections are terminated by the shutdown: their 'error' events must not crash us.
    await pg.stop();
    const calls: [string, () => Promise<unknown>][] = [
      ['lookup', () => store!.lookup(a.subdomain, 200)],
      ['putTxt', () => store!.putTxt(a.subdomain, txt('lost'), 200)],
      ['findAccount', () => store!.findAccount(a.username)],
      ['createAccount', () => store!.createAccount(account())],
      ['challengeValues', () => store!.challengeValues('_acme-challenge.auth.example.org', 200)],
      ['importAccounts', () => store!.importAccounts([{ account: account(), values: [] }])],
    ];
    for (const [name, call] of calls) {
      await expect(call().then(() => `${name} resolved`)).rejects.toBeInstanceOf(StoreUnavailableError);
    }

    await pg.start();
    await expect(store.lookup(a.subdomain, 200)).resolves.toEqual({ values: [txt('two'), txt('one')] });
    await expect(store.findAccount(a.username)).resolves.toEqual(a);
    await expect(store.challengeValues('_acme-challenge.auth.example.org', 200)).resolves.toEqual([txt('own')]);
    await store.putTxt(a.subdomain, txt('three'), 300);
    await expect(store.lookup(a.subdomain, 300)).resolves.toEqual({ values: ['three', 'two', 'one'].map(txt) });
  }, 60_000);

  it('waits at open for a server that comes up within the bound', async () => {
    const connection = await pg.createDatabase();
    await pg.stop();
    const log = captureLogger();
    const opening = openPostgresStore({ connection, txt: policy, zone: 'auth.example.org', pool, logger: log.logger, openTimeoutMs: 60_000 });
    // Start only once open has seen the server missing and is retrying.
    await log.waitFor('postgres not reachable yet, retrying');
    await pg.start();
    store = await opening;
    const a = account();
    await store.createAccount(a);
    await expect(store.findAccount(a.username)).resolves.toEqual(a);
  }, 60_000);
});

async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('postgres store open', () => {
  it('gives up on a dead port after its bound with StoreUnavailableError, never showing the password', async () => {
    const port = await deadPort();
    const log = captureLogger();
    const opening = openPostgresStore({
      connection: `postgres://acmedns:Sup3rSecretPw@127.0.0.1:${port}/acmedns?sslmode=disable`,
      txt: policy,
      zone: 'auth.example.org',
      pool,
      logger: log.logger,
      openTimeoutMs: 1200,
    });
    const err: unknown = await opening.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
    expect(log.lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(log.lines) + (err as Error).message).not.toContain('Sup3rSecretPw');
  });
});
