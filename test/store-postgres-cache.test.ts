/**
 * The PostgreSQL store's DNS read cache (src/store/postgres/reads.ts) against its promise: two
 * stores on one database stand for two instances; whatever one acknowledged, the other answers at
 * once, even while it has reads in flight that started before the write committed.
 */
import { StoreUnavailableError } from '../src/core/errors';
import { openPostgresStore, type Store } from '../src/store';
import { POSTGRES_URL_ENV, startPostgres, type TestPostgres } from './support/postgres';
import { account, TEST_ZONE, txt } from './support/store-contract';

const policy = { keep: 4, maxAgeSeconds: 1000 };
const pool = { connectionTimeoutMs: 2000, readTimeoutMs: 2000, writeTimeoutMs: 4000 };
const OWN = `_acme-challenge.${TEST_ZONE}`;
/** Rounds per scenario: each one a chance for a read begun before the commit to be served. */
const ROUNDS = 40;

let pg: TestPostgres;
let writer: Store;
let reader: Store;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
beforeEach(async () => {
  const connection = await pg.createDatabase();
  writer = await openPostgresStore({ connection, txt: policy, zone: TEST_ZONE, pool });
  reader = await openPostgresStore({ connection, txt: policy, zone: TEST_ZONE, pool });
});
afterEach(async () => {
  await writer.close();
  await reader.close();
});
afterAll(async () => {
  await pg?.destroy();
});

/**
 * Keeps the reader busy (several lookups of `subdomain` and reads of `OWN` outstanding at every
 * moment, so a round is in flight whenever a write completes) until the returned stop is called.
 */
function busy(store: Store, subdomain: string, now: number): () => Promise<void> {
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) await Promise.all([store.lookup(subdomain, now), store.challengeValues(OWN, now), store.zoneSerial()]);
  };
  const loops = Array.from({ length: 4 }, loop);
  return async () => {
    running = false;
    await Promise.all(loops);
  };
}

/** Runs `fn` while `store` is kept busy (busy()), and stops the reads whatever `fn` did. */
async function whileBusy(store: Store, subdomain: string, now: number, fn: () => Promise<void>): Promise<void> {
  const stop = busy(store, subdomain, now);
  try {
    await fn();
  } finally {
    await stop();
  }
}

describe('postgres read cache, two instances on one database', () => {
  it('serves a value acknowledged by the other instance at once, with its reads in flight', async () => {
    const a = account();
    await writer.createAccount(a);
    await whileBusy(reader, a.subdomain, 100, async () => {
      for (let i = 0; i < ROUNDS; i++) {
        await writer.putTxt(a.subdomain, txt(`v${i}`), 100 + i);
        expect((await reader.lookup(a.subdomain, 100 + i))?.values[0]).toBe(txt(`v${i}`));
        await expect(reader.zoneSerial()).resolves.toBe(await writer.zoneSerial());
        if (i % 2 === 1) {
          await writer.removeTxt(a.subdomain, txt(`v${i}`));
          expect((await reader.lookup(a.subdomain, 100 + i))?.values).not.toContain(txt(`v${i}`));
        }
      }
      await writer.clearTxt(a.subdomain);
      await expect(reader.lookup(a.subdomain, 200)).resolves.toEqual({ values: [] });
    });
  }, 60_000);

  it('sees accounts created and deleted by the other instance (NXDOMAIN <-> NODATA), values or not', async () => {
    const busyOne = account();
    await writer.createAccount(busyOne);
    await whileBusy(reader, busyOne.subdomain, 100, async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const a = account();
        // Cached as "no such name" first.
        await expect(reader.lookup(a.subdomain, 100)).resolves.toBeUndefined();
        // The three ways an account comes: one statement, audited in a transaction, imported.
        if (i % 3 === 0) await writer.createAccount(a);
        else if (i % 3 === 1) await writer.createAccount(a, { client: '127.0.0.1', actor: 'api' });
        else await writer.importAccounts([{ account: a, values: [] }]);
        await expect(reader.lookup(a.subdomain, 100)).resolves.toEqual({ values: [] });
        await writer.deleteAccount(a.username);
        await expect(reader.lookup(a.subdomain, 100)).resolves.toBeUndefined();
      }
    });
  }, 60_000);

  it('sees own challenge values published, re-published with a new expiry, and withdrawn', async () => {
    const a = account();
    await writer.createAccount(a);
    await whileBusy(reader, a.subdomain, 100, async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const value = txt(`own${i}`);
        await writer.putChallenge(OWN, value, 150);
        expect(await reader.challengeValues(OWN, 100)).toContain(value);
        // Expired at 200 as cached; the new expiry must be seen, though the zone's content is the same.
        expect(await reader.challengeValues(OWN, 200)).not.toContain(value);
        await writer.putChallenge(OWN, value, 300);
        expect(await reader.challengeValues(OWN, 200)).toContain(value);
        await writer.removeChallenge(OWN, value);
        expect(await reader.challengeValues(OWN, 100)).not.toContain(value);
      }
    });
  }, 60_000);

  it('sees a refresh that brings an aged value back, and RFC 2136 updates', async () => {
    const a = account();
    await writer.createAccount(a);
    await writer.putTxt(a.subdomain, txt('old'), 1000);
    await whileBusy(reader, a.subdomain, 1000, async () => {
      // Aged out at 2500 (max age 1000), as cached, with no write in between: time alone filters.
      await expect(reader.lookup(a.subdomain, 1500)).resolves.toEqual({ values: [txt('old')] });
      await expect(reader.lookup(a.subdomain, 2500)).resolves.toEqual({ values: [] });
      // A refresh is no change of the zone's content (no serial step), but the value is live again.
      await writer.putTxt(a.subdomain, txt('old'), 2400);
      await expect(reader.lookup(a.subdomain, 2500)).resolves.toEqual({ values: [txt('old')] });
      const outcome = await writer.applyTxtUpdate(a.subdomain, { deleteAll: true, remove: [], add: [txt('new')] }, () => true, 2450);
      expect(outcome.kind).toBe('applied');
      await expect(reader.lookup(a.subdomain, 2500)).resolves.toEqual({ values: [txt('new')] });
    });
  }, 60_000);

  it('answers nothing from its cache while the database is down, and serves what changed meanwhile after', async () => {
    if (process.env[POSTGRES_URL_ENV]) return; // an external server cannot be stopped by the test
    const a = account();
    await writer.createAccount(a);
    await writer.putTxt(a.subdomain, txt('one'), 100);
    await writer.putChallenge(OWN, txt('own'), 500);
    // Cached now.
    await expect(reader.lookup(a.subdomain, 100)).resolves.toEqual({ values: [txt('one')] });
    await expect(reader.challengeValues(OWN, 100)).resolves.toEqual([txt('own')]);
    await pg.stop();
    try {
      await expect(reader.lookup(a.subdomain, 100)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(reader.challengeValues(OWN, 100)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(reader.zoneSerial()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await pg.start();
    }
    await writer.putTxt(a.subdomain, txt('two'), 101);
    await expect(reader.lookup(a.subdomain, 101)).resolves.toEqual({ values: [txt('two'), txt('one')] });
  }, 60_000);
});
