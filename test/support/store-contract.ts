import { StoreConflictError } from '../../src/core/errors';
import type { Account } from '../../src/core/types';
import type { Store } from '../../src/store/types';

/** The zone apex every contract store is opened with (the journal's owners end in it). */
export const TEST_ZONE = 'auth.example.org';

/** A store under test and how to throw it away; the policy is keep 4, max age 1000 s, the zone TEST_ZONE. */
export interface StoreUnderTest {
  store: Store;
  /** Reopens the same database (persistence checks). */
  reopen(): Promise<Store>;
  /** Opens the same database as the store of another zone apex (what is kept per zone); the caller closes it. */
  openZone(zone: string): Promise<Store>;
  /** Runs one statement (the same text in both dialects) on the database directly, around the store; its rows. */
  run(sql: string): Promise<Record<string, unknown>[]>;
  cleanup(): Promise<void>;
}

let n = 0;
/** A fresh account with a unique username and subdomain. */
export function account(overrides: Partial<Account> = {}): Account {
  n += 1;
  const id = `${process.pid.toString(16).padStart(8, '0').slice(-8)}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  return {
    username: id,
    passwordHash: '$2a$10$abcdefghijklmnopqrstuu5pWHh8k6lJHc1Pj1zCm0E7xK8b5nM1S',
    subdomain: `sub-${id}`,
    allowFrom: [],
    ...overrides,
  };
}

/** A 43-character TXT value made from a short tag. */
export function txt(tag: string): string {
  return tag.padEnd(43, '_').slice(0, 43);
}

/** The contract every Store implementation meets (DESIGN rule 6). */
export function describeStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`Store contract: ${name}`, () => {
    let t: StoreUnderTest;
    beforeEach(async () => {
      t = await open();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('creates and finds an account, allowfrom included', async () => {
      const a = account({ allowFrom: ['10.0.0.0/8', '::1/128'] });
      await t.store.createAccount(a);
      await expect(t.store.findAccount(a.username)).resolves.toEqual(a);
      await expect(t.store.findAccount('00000000-0000-4000-8000-000000000000')).resolves.toBeUndefined();
    });

    it('refuses a duplicate username or subdomain (any case) with StoreConflictError', async () => {
      const a = account();
      await t.store.createAccount(a);
      await expect(t.store.createAccount({ ...account(), username: a.username })).rejects.toBeInstanceOf(StoreConflictError);
      await expect(t.store.createAccount({ ...account(), subdomain: a.subdomain.toUpperCase() })).rejects.toBeInstanceOf(
        StoreConflictError,
      );
    });

    it('looks names up case-insensitively: undefined for strangers, empty values before the first update', async () => {
      const a = account({ subdomain: 'MixedCase-Label' });
      await t.store.createAccount(a);
      await expect(t.store.lookup('mixedcase-label', 100)).resolves.toEqual({ values: [] });
      await expect(t.store.lookup('MIXEDCASE-LABEL', 100)).resolves.toEqual({ values: [] });
      await expect(t.store.lookup('nobody', 100)).resolves.toBeUndefined();
    });

    it('keeps the newest `keep` values, newest first, and refreshes a value posted again', async () => {
      const a = account();
      await t.store.createAccount(a);
      for (const [i, tag] of ['a', 'b', 'c', 'd', 'e'].entries()) await t.store.putTxt(a.subdomain, txt(tag), 100 + i);
      await expect(t.store.lookup(a.subdomain, 110)).resolves.toEqual({ values: ['e', 'd', 'c', 'b'].map(txt) });
      await t.store.putTxt(a.subdomain, txt('b'), 200);
      await expect(t.store.lookup(a.subdomain, 210)).resolves.toEqual({ values: ['b', 'e', 'd', 'c'].map(txt) });
      await t.store.putTxt(a.subdomain, txt('f'), 201);
      await expect(t.store.lookup(a.subdomain, 210)).resolves.toEqual({ values: ['f', 'b', 'e', 'd'].map(txt) });
    });

    it('orders values posted in the same second by arrival, and keeps every one of them up to `keep`', async () => {
      const a = account();
      await t.store.createAccount(a);
      for (const tag of ['x', 'y', 'z']) await t.store.putTxt(a.subdomain, txt(tag), 500);
      await expect(t.store.lookup(a.subdomain, 500)).resolves.toEqual({ values: ['z', 'y', 'x'].map(txt) });
    });

    it('neither serves nor keeps values older than the maximum age', async () => {
      const a = account();
      await t.store.createAccount(a);
      await t.store.putTxt(a.subdomain, txt('old'), 1000);
      await t.store.putTxt(a.subdomain, txt('new'), 1900);
      await expect(t.store.lookup(a.subdomain, 2000)).resolves.toEqual({ values: ['old', 'new'].map(txt).reverse() });
      await expect(t.store.lookup(a.subdomain, 2001)).resolves.toEqual({ values: [txt('new')] });
      await t.store.putTxt(a.subdomain, txt('newest'), 2500);
      await expect(t.store.lookup(a.subdomain, 1)).resolves.toEqual({ values: ['newest', 'new'].map(txt) });
    });

    it('keeps accounts apart', async () => {
      const a = account();
      const b = account();
      await t.store.createAccount(a);
      await t.store.createAccount(b);
      await t.store.putTxt(a.subdomain, txt('for-a'), 10);
      await expect(t.store.lookup(b.subdomain, 10)).resolves.toEqual({ values: [] });
    });

    it('imports no values under a subdomain that another username holds', async () => {
      const owner = account();
      await t.store.createAccount(owner);
      const intruder = { ...account(), subdomain: owner.subdomain };
      await expect(t.store.importAccounts([{ account: intruder, values: [{ value: txt('intruder'), updatedAt: 50 }] }])).resolves.toEqual({
        created: 0,
        existing: 1,
      });
      await expect(t.store.lookup(owner.subdomain, 100)).resolves.toEqual({ values: [] });
    });

    it('imports in bulk, idempotently, merging values without duplicates', async () => {
      const a = account();
      const b = account();
      await t.store.createAccount(a);
      const entries = [
        { account: { ...a, passwordHash: 'other' }, values: [{ value: txt('ia'), updatedAt: 50 }] },
        { account: b, values: [{ value: txt('ib1'), updatedAt: 40 }, { value: txt('ib2'), updatedAt: 41 }] },
      ];
      await expect(t.store.importAccounts(entries)).resolves.toEqual({ created: 1, existing: 1 });
      await expect(t.store.importAccounts(entries)).resolves.toEqual({ created: 0, existing: 2 });
      await expect(t.store.findAccount(a.username)).resolves.toEqual(a);
      await expect(t.store.findAccount(b.username)).resolves.toEqual(b);
      await expect(t.store.lookup(b.subdomain, 100)).resolves.toEqual({ values: ['ib2', 'ib1'].map(txt) });
      await expect(t.store.lookup(a.subdomain, 100)).resolves.toEqual({ values: [txt('ia')] });
    });

    it('removes one TXT value of a name (httpreq /cleanup), any case, audited only when a value went', async () => {
      const a = account({ subdomain: 'Remove-Me' });
      const b = account();
      await t.store.createAccount(a);
      await t.store.createAccount(b);
      for (const [tag, at] of [['r1', 10], ['r2', 11], ['r3', 12]] as const) await t.store.putTxt(a.subdomain, txt(tag), at);
      await t.store.putTxt(b.subdomain, txt('r2'), 12);
      const ctx = { actor: 'api', client: '192.0.2.7', at: 5000 } as const;
      await expect(t.store.removeTxt('remove-ME', txt('r2'), ctx)).resolves.toBe(true);
      await expect(t.store.lookup(a.subdomain, 12)).resolves.toEqual({ values: ['r3', 'r1'].map(txt) });
      // Another account's identical value stays.
      await expect(t.store.lookup(b.subdomain, 12)).resolves.toEqual({ values: [txt('r2')] });
      // Gone already, a value never there, an unknown name: false, and nothing audited.
      await expect(t.store.removeTxt(a.subdomain, txt('r2'), ctx)).resolves.toBe(false);
      await expect(t.store.removeTxt(a.subdomain, txt('never'), ctx)).resolves.toBe(false);
      await expect(t.store.removeTxt('no-such-name', txt('r1'), ctx)).resolves.toBe(false);
      const entries = await t.store.listAudit({ username: a.username, limit: 10 });
      expect(entries.map((e) => [e.action, e.subdomain, e.client, e.actor, e.at])).toEqual([
        ['txt.removed', 'Remove-Me', '192.0.2.7', 'api', 5000],
      ]);
      expect(entries[0]?.detail).not.toContain(txt('r2'));
    });

    it('publishes and withdraws the own DNS-01 challenge values until they expire', async () => {
      const name = '_acme-challenge.auth.example.org';
      await t.store.putChallenge(name, txt('c1'), 100);
      await t.store.putChallenge(name.toUpperCase(), txt('c2'), 200);
      await expect(t.store.challengeValues(name, 50)).resolves.toEqual(['c1', 'c2'].map(txt));
      await expect(t.store.challengeValues(name, 150)).resolves.toEqual([txt('c2')]);
      await expect(t.store.challengeValues('other.example.org', 50)).resolves.toEqual([]);
      await t.store.removeChallenge(name, txt('c2'));
      await expect(t.store.challengeValues(name, 50)).resolves.toEqual([txt('c1')]);
    });

    it('keeps what it acknowledged across a reopen', async () => {
      const a = account();
      await t.store.createAccount(a);
      await t.store.putTxt(a.subdomain, txt('kept'), 10);
      await t.store.close();
      t.store = await t.reopen();
      await expect(t.store.findAccount(a.username)).resolves.toEqual(a);
      await expect(t.store.lookup(a.subdomain, 10)).resolves.toEqual({ values: [txt('kept')] });
    });
  });
}
