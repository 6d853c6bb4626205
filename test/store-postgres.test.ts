import { Client } from 'pg';
import { StoreUnavailableError } from '../src/core/errors';
import { AcmeDnsDatabaseError, openPostgresStore, openStore } from '../src/store';
import { captureLogger } from './support/capture-logger';
import { startPostgres, type TestPostgres } from './support/postgres';
import { readMigrations } from '../src/store/migrations';
import { account, describeStoreContract, TEST_ZONE, txt, type StoreUnderTest } from './support/store-contract';
import { describeAccountsContract } from './support/store-contract-accounts';
import { describeAuditRetentionContract } from './support/store-contract-audit';
import { describeClusterContract } from './support/store-contract-cluster';
import { describeDnssecContract } from './support/store-contract-dnssec';
import { describeKeysContract } from './support/store-contract-keys';
import { describeZoneContract } from './support/store-contract-zone';

const policy = { keep: 4, maxAgeSeconds: 1000 };

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pg?.destroy();
});

/** Runs one statement on a database directly, around the store. */
async function sql<R>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as R[];
  } finally {
    await client.end();
  }
}

// A fresh database per test: complete isolation, and migrations run on an empty one every time.
async function openTestStore(): Promise<StoreUnderTest> {
  const connection = await pg.createDatabase();
  const t = {
    store: await openPostgresStore({ connection, txt: policy, zone: TEST_ZONE }),
    reopen: async () => openPostgresStore({ connection, txt: policy, zone: TEST_ZONE }),
    openZone: async (zone: string) => openPostgresStore({ connection, txt: policy, zone }),
    run: (text: string) => sql<Record<string, unknown>>(connection, text),
    cleanup: async () => {
      await t.store.close();
    },
  };
  return t;
}

describeStoreContract('postgres', openTestStore);
describeAccountsContract('postgres', openTestStore);
describeClusterContract('postgres', openTestStore);
describeAuditRetentionContract('postgres', openTestStore);
describeZoneContract('postgres', openTestStore);
describeKeysContract('postgres', openTestStore);
describeDnssecContract('postgres', openTestStore);

describe('postgres store databases', () => {
  it('runs its migrations once, even when two instances open an empty database together', async () => {
    const connection = await pg.createDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore({ connection, txt: policy, zone: TEST_ZONE })));
    await Promise.all(stores.map((s) => s.close()));
    const again = await openPostgresStore({ connection, txt: policy, zone: TEST_ZONE });
    await again.close();
    const rows = await sql<{ version: number }>(connection, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(readMigrations('postgres').map((m) => m.version));
  });

  it('accepts a lib/pq key=value DSN as acme-dns configs have it', async () => {
    const url = new URL(await pg.createDatabase());
    const quote = (v: string): string => `'${v.replace(/[\\']/g, '\\$&')}'`;
    const dsn = [
      `host=${url.hostname}`,
      `port = ${url.port || '5432'}`,
      `user=${decodeURIComponent(url.username)}`,
      url.password ? `password=${quote(decodeURIComponent(url.password))}` : '',
      `dbname=${url.pathname.slice(1)}`,
      `sslmode=${url.searchParams.get('sslmode') ?? 'require'}`,
      `application_name=${quote('acmedns dsn test')}`,
    ].join(' ');
    const store = await openStore({ engine: 'postgres', connection: dsn }, policy, TEST_ZONE);
    try {
      const a = account();
      await store.createAccount(a);
      await expect(store.findAccount(a.username)).resolves.toEqual(a);
      const apps = await sql<{ n: string }>(url.toString(), "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'acmedns dsn test'");
      expect(Number(apps[0]?.n)).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('keeps at most `keep` values when updates of one name arrive together', async () => {
    const connection = await pg.createDatabase();
    const store = await openPostgresStore({ connection, txt: policy, zone: TEST_ZONE });
    try {
      const a = account();
      await store.createAccount(a);
      // Several rounds: one lost race is enough to leave more than `keep` rows behind.
      for (let round = 0; round < 5; round += 1) {
        await Promise.all(Array.from({ length: 30 }, (_, i) => store.putTxt(a.subdomain, txt(`r${round}v${i}`), 100 + round)));
        const rows = await sql<{ n: string }>(connection, 'SELECT count(*) AS n FROM txt_values');
        expect(Number(rows[0]?.n)).toBe(policy.keep);
      }
      expect((await store.lookup(a.subdomain, 200))?.values).toHaveLength(policy.keep);
    } finally {
      await store.close();
    }
  });

  it('imports thousands of accounts in one call, in batches, keeping `keep` values each', async () => {
    const connection = await pg.createDatabase();
    const store = await openPostgresStore({ connection, txt: policy, zone: TEST_ZONE });
    try {
      const entries = Array.from({ length: 12_001 }, (_, i) => ({
        account: account(),
        values: i % 1000 === 0 ? ['a', 'b', 'c', 'd', 'e', 'f'].map((tag, j) => ({ value: txt(tag), updatedAt: 10 + j })) : [],
      }));
      await expect(store.importAccounts(entries)).resolves.toEqual({ created: 12_001, existing: 0 });
      await expect(store.importAccounts(entries.slice(0, 10))).resolves.toEqual({ created: 0, existing: 10 });
      const last = entries[12_000]!.account;
      await expect(store.findAccount(last.username)).resolves.toEqual(last);
      await expect(store.lookup(entries[0]!.account.subdomain, 20)).resolves.toEqual({ values: ['f', 'e', 'd', 'c'].map(txt) });
      const rows = await sql<{ n: string }>(connection, 'SELECT count(*) AS n FROM txt_values');
      expect(Number(rows[0]?.n)).toBe(13 * policy.keep);
    } finally {
      await store.close();
    }
  });

  it('gives distinct consecutive serials and one journal step each to changes from two instances at once, without deadlock', async () => {
    const connection = await pg.createDatabase();
    const stores = await Promise.all([1, 2].map(() => openPostgresStore({ connection, txt: policy, zone: TEST_ZONE })));
    try {
      const accounts = Array.from({ length: 10 }, () => account());
      for (const a of accounts) await stores[0]!.createAccount(a);
      const s0 = await stores[0]!.zoneSerial();
      // 50 new values over 10 names, half through each instance; expiry and removals of absent values race with them.
      await Promise.all([
        ...Array.from({ length: 50 }, (_, i) => stores[i % 2]!.putTxt(accounts[i % 10]!.subdomain, txt(`c${i}`), 100 + i)),
        ...Array.from({ length: 10 }, (_, i) => stores[i % 2]!.expireZoneValues(100)),
        ...Array.from({ length: 10 }, (_, i) => stores[i % 2]!.removeTxt(accounts[i]!.subdomain, txt('absent'))),
      ]);
      await expect(stores[1]!.zoneSerial()).resolves.toBe(s0 + 50);
      const steps = await stores[1]!.zoneChangesSince(s0);
      expect(steps?.map((d) => [d.from, d.to])).toEqual(Array.from({ length: 50 }, (_, i) => [s0 + i, s0 + i + 1]));
      // Each step adds one value and, past `keep` values of a name, removes the oldest one.
      expect(steps?.every((d) => d.added.length === 1 && d.removed.length <= 1)).toBe(true);
      const versions = await sql<{ n: string }>(connection, 'SELECT count(*) AS n FROM zone_versions');
      expect(Number(versions[0]?.n)).toBe(50);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('expires each value once when two instances run expiry at the same time', async () => {
    const connection = await pg.createDatabase();
    const stores = await Promise.all([1, 2].map(() => openPostgresStore({ connection, txt: policy, zone: TEST_ZONE })));
    try {
      const accounts = Array.from({ length: 40 }, () => account());
      await stores[0]!.importAccounts(accounts.map((a, i) => ({ account: a, values: [{ value: txt(`e${i}`), updatedAt: 10 }, { value: txt(`f${i}`), updatedAt: 10 }] })));
      const s0 = await stores[0]!.zoneSerial();
      const gone = await Promise.all([...stores, ...stores].map((s) => s.expireZoneValues(5000)));
      expect(gone.reduce((a, b) => a + b, 0)).toBe(80);
      const steps = (await stores[0]!.zoneChangesSince(s0)) ?? [];
      expect(steps).toHaveLength(gone.filter((n) => n > 0).length);
      const removed = steps.flatMap((d) => d.removed.map((r) => `${r.owner} ${r.value}`));
      expect(new Set(removed).size).toBe(80);
      expect(removed).toHaveLength(80);
      await expect(stores[1]!.zoneSerial()).resolves.toBe(s0 + steps.length);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('refuses a database holding acme-dns tables, saying how to import it', async () => {
    const connection = await pg.createDatabase();
    await sql(connection, 'CREATE TABLE acmedns (Name TEXT, Value TEXT); CREATE TABLE records (Username TEXT PRIMARY KEY)');
    const opening = openPostgresStore({ connection, txt: policy, zone: TEST_ZONE });
    await expect(opening).rejects.toBeInstanceOf(AcmeDnsDatabaseError);
    await expect(opening).rejects.toThrow(/acmedns import --from/);
  });

  it('fails at once, without retrying, when the database does not exist', async () => {
    const url = new URL(pg.url);
    url.pathname = '/acmedns_test_missing';
    const log = captureLogger();
    const opening = openPostgresStore({ connection: url.toString(), txt: policy, zone: TEST_ZONE, logger: log.logger, openTimeoutMs: 60_000 });
    await expect(opening).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(opening).rejects.toThrow(/does not exist/);
    expect(log.lines).toEqual([]);
  });
});
