/**
 * The daemon prunes the audit trail in the background (`[audit] retention`), on both engines:
 * entries older than the retention go, younger ones and those written through the API stay, and
 * one log line says how many went. Timing is shortened through DaemonOptions; nothing is timed.
 */
import { openStore, type Store } from '../src/store';
import { register } from './support/api-client';
import { account } from './support/store-contract';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { startPostgres, type TestPostgres } from './support/postgres';
import { until } from './support/poll';

const DAY = 86400_000;

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pg?.destroy();
});

describe.each(['sqlite', 'postgres'] as const)('audit retention in the daemon (%s)', (engine) => {
  let d: TestDaemon;
  let store: Store;
  beforeEach(async () => {
    const postgresUrl = engine === 'postgres' ? await pg.createDatabase() : undefined;
    d = await startTestDaemon({
      extra: '[audit]\nretention = "1d"\n',
      ...(postgresUrl ? { postgresUrl } : {}),
      daemon: { auditRetention: { firstRunMs: 0, intervalMs: 50, batchSize: 2 } },
    });
    // A second connection to the daemon's database, as another instance or the CLI would have.
    store = await openStore({ engine, connection: postgresUrl ?? d.dbFile }, { keep: 4, maxAgeSeconds: 0 }, 'auth.example.org');
  });
  afterEach(async () => {
    await store.close();
    await d.stop();
  });

  it('prunes entries older than the retention, in batches, and keeps the rest', async () => {
    const registered = await register(d.api);
    const now = Date.now();
    const old = [now - 3 * DAY, now - 2 * DAY, now - DAY - 60_000];
    const young = now - DAY + 3600_000;
    for (const at of [...old, young]) await store.createAccount(account(), { actor: 'cli', at });
    await until('the old entries to be pruned', async () => (await store.listAudit({ limit: 100 })).every((e) => e.at >= young), { everyMs: 50 });
    const left = await store.listAudit({ limit: 100 });
    expect(left.map((e) => e.at).sort((a, b) => a - b)).toEqual([young, left.find((e) => e.username === registered.username)?.at]);
    const pruned = d
      .logText()
      .split('\n')
      .filter((l) => l.includes('"pruned old audit entries"'))
      .map((l) => (JSON.parse(l) as { pruned: number; module: string }));
    expect(pruned.every((l) => l.module === 'audit')).toBe(true);
    expect(pruned.reduce((sum, l) => sum + l.pruned, 0)).toBe(old.length);
  });
});
