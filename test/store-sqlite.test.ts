import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AcmeDnsDatabaseError, openSqliteStore } from '../src/store';
import { readMigrations } from '../src/store/migrations';
import { describeStoreContract, TEST_ZONE, type StoreUnderTest } from './support/store-contract';
import { describeAccountsContract } from './support/store-contract-accounts';
import { describeAuditRetentionContract } from './support/store-contract-audit';
import { describeClusterContract } from './support/store-contract-cluster';
import { describeDnssecContract } from './support/store-contract-dnssec';
import { describeKeysContract } from './support/store-contract-keys';
import { describeZoneContract } from './support/store-contract-zone';

const policy = { keep: 4, maxAgeSeconds: 1000 };

/** A store on a new file; `accountIndex` false: as a process that answers no DNS opens it. */
async function openTestStore(accountIndex = true): Promise<StoreUnderTest> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-store-'));
  const file = path.join(dir, 'nested', 'store.db');
  const t = {
    store: openSqliteStore({ file, txt: policy, zone: TEST_ZONE, accountIndex }),
    reopen: async () => openSqliteStore({ file, txt: policy, zone: TEST_ZONE, accountIndex }),
    openZone: async (zone: string) => openSqliteStore({ file, txt: policy, zone, accountIndex }),
    run: async (sql: string) => {
      const db = new Database(file);
      try {
        const statement = db.prepare(sql);
        if (statement.reader) return statement.all() as Record<string, unknown>[];
        statement.run();
        return [];
      } finally {
        db.close();
      }
    },
    cleanup: async () => {
      await t.store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

describeStoreContract('sqlite', () => openTestStore());
// The lookups read SQLite instead of the index (the primary of DNS workers, the CLI): the same answers.
describeStoreContract('sqlite without the account index', () => openTestStore(false));
describeAccountsContract('sqlite', () => openTestStore());
describeClusterContract('sqlite', () => openTestStore());
describeAuditRetentionContract('sqlite', () => openTestStore());
describeZoneContract('sqlite', () => openTestStore());
describeKeysContract('sqlite', () => openTestStore());
describeDnssecContract('sqlite', () => openTestStore());

describe('sqlite store files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-store-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs its migrations once and records them', async () => {
    const file = path.join(dir, 's.db');
    await openSqliteStore({ file, txt: policy, zone: TEST_ZONE }).close();
    await openSqliteStore({ file, txt: policy, zone: TEST_ZONE }).close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual(readMigrations('sqlite').map((m) => m.version));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses an acme-dns database with a message that says how to import it', () => {
    const file = path.join(dir, 'acme-dns.db');
    const db = new Database(file);
    db.exec('CREATE TABLE acmedns(Name TEXT, Value TEXT); CREATE TABLE records(Username TEXT UNIQUE NOT NULL PRIMARY KEY, Password TEXT UNIQUE NOT NULL, Subdomain TEXT UNIQUE NOT NULL, AllowFrom TEXT)');
    db.close();
    expect(() => openSqliteStore({ file, txt: policy, zone: TEST_ZONE })).toThrow(AcmeDnsDatabaseError);
    expect(() => openSqliteStore({ file, txt: policy, zone: TEST_ZONE })).toThrow(/acmedns import --from/);
  });

  it('expires no value when txt.max_age is 0 (values never age), only past challenges', async () => {
    const store = openSqliteStore({ file: path.join(dir, 'forever.db'), txt: { keep: 4, maxAgeSeconds: 0 }, zone: TEST_ZONE });
    try {
      await store.createAccount({ username: 'u', passwordHash: 'h', subdomain: 's', allowFrom: [] });
      await store.putTxt('s', 'old', 1);
      await store.putChallenge(`_acme-challenge.${TEST_ZONE}`, 'c', 5);
      await expect(store.nextZoneExpiry()).resolves.toBe(6);
      await expect(store.expireZoneValues(2_000_000_000)).resolves.toBe(1);
      await expect(store.nextZoneExpiry()).resolves.toBeUndefined();
      await expect(store.zoneSnapshot(2_000_000_000)).resolves.toMatchObject({ records: [{ owner: `s.${TEST_ZONE}`, value: 'old' }] });
    } finally {
      await store.close();
    }
  });

  it('reads password hashes that acme-dns stored as BLOBs', async () => {
    const file = path.join(dir, 'blob.db');
    await openSqliteStore({ file, txt: policy, zone: TEST_ZONE }).close();
    const db = new Database(file);
    db.prepare("INSERT INTO accounts VALUES ('u', ?, 's', 's', '[]', 0)").run(Buffer.from('$2a$10$hash'));
    db.close();
    const store = openSqliteStore({ file, txt: policy, zone: TEST_ZONE });
    await expect(store.findAccount('u')).resolves.toMatchObject({ passwordHash: '$2a$10$hash' });
    await store.close();
  });
});
