import { StoreConflictError } from '../../src/core/errors';
import type { AuditContext, AuditEntry } from '../../src/store/admin-types';
import type { Store } from '../../src/store/types';
import { account, txt, type StoreUnderTest } from './store-contract';

const api = (client: string, at: number): AuditContext => ({ actor: 'api', client, at });
const cli = (at: number): AuditContext => ({ actor: 'cli', at });

/** The audit trail as (action, username, client, actor) tuples, oldest first. */
async function trail(store: Store, username?: string): Promise<[string, string, string | null, string][]> {
  const entries = await store.listAudit({ ...(username ? { username } : {}), limit: 1000 });
  return entries.map((e) => [e.action, e.username, e.client, e.actor]);
}

/** Account management and the audit trail: part of the contract every Store meets. */
export function describeAccountsContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`Store contract, accounts and audit: ${name}`, () => {
    let t: StoreUnderTest;
    beforeEach(async () => {
      t = await open();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('lists accounts in username order, page by page, with live value counts and last update', async () => {
      const made = [account(), account({ allowFrom: ['10.0.0.0/8'] }), account(), account(), account()];
      for (const a of made) await t.store.createAccount(a);
      const [first] = made;
      await t.store.putTxt(first!.subdomain, txt('old'), 100);
      await t.store.putTxt(first!.subdomain, txt('new'), 1500);
      const sorted = made.map((a) => a.username).sort();
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await t.store.listAccounts({ ...(after ? { after } : {}), limit: 2, nowSeconds: 1600 });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(2);
        seen.push(...page.map((s) => s.username));
        after = page[page.length - 1]!.username;
      }
      expect(seen).toEqual(sorted);
      const all = await t.store.listAccounts({ limit: 100, nowSeconds: 1600 });
      // The policy's maximum age is 1000 s: at 1600 the value of 100 is no longer live.
      expect(all.find((s) => s.username === first!.username)).toMatchObject({ liveValues: 1, lastUpdate: 1500, subdomain: first!.subdomain });
      expect(all.find((s) => s.username === made[1]!.username)).toMatchObject({ liveValues: 0, lastUpdate: null, allowFrom: ['10.0.0.0/8'] });
      expect(all.every((s) => Number.isInteger(s.createdAt) && s.createdAt > 1_600_000_000)).toBe(true);
    });

    it('describes one account by username or by subdomain in any case', async () => {
      const a = account({ subdomain: 'Shown-Label' });
      await t.store.createAccount(a);
      await t.store.putTxt(a.subdomain, txt('v'), 50);
      const expected = { username: a.username, subdomain: 'Shown-Label', liveValues: 1, lastUpdate: 50 };
      await expect(t.store.describeAccount(a.username, 60)).resolves.toMatchObject(expected);
      await expect(t.store.describeAccount('shown-LABEL', 60)).resolves.toMatchObject(expected);
      await expect(t.store.describeAccount('nobody', 60)).resolves.toBeUndefined();
    });

    it("reads an account's live values with their times, newest first, as DNS serves them", async () => {
      const a = account({ subdomain: 'Timed-Label' });
      await t.store.createAccount(a);
      await expect(t.store.liveTxt(a.subdomain, 100)).resolves.toEqual([]);
      for (const [tag, at] of [['a', 100], ['b', 200], ['c', 300], ['d', 400], ['e', 500]] as const) await t.store.putTxt(a.subdomain, txt(tag), at);
      // Refreshed: the value moves to the front with its new time.
      await t.store.putTxt(a.subdomain, txt('c'), 600);
      // keep 4: 'a' is gone; any case of the subdomain finds them; the times are Unix seconds as given.
      await expect(t.store.liveTxt('timed-LABEL', 650)).resolves.toEqual([
        { value: txt('c'), updatedAt: 600 },
        { value: txt('e'), updatedAt: 500 },
        { value: txt('d'), updatedAt: 400 },
        { value: txt('b'), updatedAt: 200 },
      ]);
      // Max age 1000 s: at 1250 the value of 200 is no longer served, so not listed either.
      expect((await t.store.liveTxt(a.subdomain, 1250)).map((v) => v.updatedAt)).toEqual([600, 500, 400]);
      expect((await t.store.lookup(a.subdomain, 1250))?.values).toEqual([txt('c'), txt('e'), txt('d')]);
      await expect(t.store.liveTxt('nobody', 650)).resolves.toEqual([]);
    });

    it('deletes an account with its values: its name no longer exists, its username is free', async () => {
      const a = account();
      const b = account();
      await t.store.createAccount(a);
      await t.store.createAccount(b);
      await t.store.putTxt(a.subdomain, txt('a1'), 10);
      await t.store.putTxt(b.subdomain, txt('b1'), 10);
      await expect(t.store.deleteAccount(a.username, api('192.0.2.1', 1000))).resolves.toBe(true);
      await expect(t.store.deleteAccount(a.username)).resolves.toBe(false);
      await expect(t.store.findAccount(a.username)).resolves.toBeUndefined();
      await expect(t.store.lookup(a.subdomain, 10)).resolves.toBeUndefined();
      await expect(t.store.lookup(b.subdomain, 10)).resolves.toEqual({ values: [txt('b1')] });
      // An update racing the deletion (authenticated before it) leaves nothing behind.
      await t.store.putTxt(a.subdomain, txt('late'), 11, api('192.0.2.1', 1001));
      await t.store.createAccount(a);
      await expect(t.store.lookup(a.subdomain, 11)).resolves.toEqual({ values: [] });
      const [deleted] = await t.store.listAudit({ username: a.username, limit: 10 });
      expect(deleted).toMatchObject({ action: 'account.deleted', subdomain: a.subdomain, client: '192.0.2.1', detail: '{"removed":1}' });
    });

    it('replaces the password hash and the allowfrom list; false for an unknown account', async () => {
      const a = account({ allowFrom: ['10.0.0.0/8'] });
      await t.store.createAccount(a);
      await expect(t.store.setPasswordHash(a.username, '$2a$10$other', cli(1))).resolves.toBe(true);
      await expect(t.store.setAllowFrom(a.username, ['192.0.2.0/24', '::1/128'], cli(2))).resolves.toBe(true);
      await expect(t.store.findAccount(a.username)).resolves.toEqual({ ...a, passwordHash: '$2a$10$other', allowFrom: ['192.0.2.0/24', '::1/128'] });
      await expect(t.store.setAllowFrom(a.username, [])).resolves.toBe(true);
      await expect(t.store.findAccount(a.username)).resolves.toMatchObject({ allowFrom: [] });
      const stranger = account().username;
      await expect(t.store.setPasswordHash(stranger, 'x', cli(3))).resolves.toBe(false);
      await expect(t.store.setAllowFrom(stranger, [], cli(3))).resolves.toBe(false);
      const entries = await t.store.listAudit({ limit: 10 });
      expect(entries.map((e) => [e.action, e.detail])).toEqual([
        ['password.rotated', null],
        ['allowfrom.changed', '{"allowfrom":["192.0.2.0/24","::1/128"],"previous":["10.0.0.0/8"]}'],
      ]);
      expect(JSON.stringify(entries)).not.toContain('other');
    });

    it('clears the values of one name, leaving the account; undefined for a name nobody has', async () => {
      const a = account({ subdomain: 'Clear-Me' });
      await t.store.createAccount(a);
      for (const tag of ['x', 'y']) await t.store.putTxt(a.subdomain, txt(tag), 10);
      await expect(t.store.clearTxt('clear-me', cli(5))).resolves.toBe(2);
      await expect(t.store.lookup(a.subdomain, 10)).resolves.toEqual({ values: [] });
      await expect(t.store.clearTxt(a.subdomain)).resolves.toBe(0);
      await expect(t.store.clearTxt('nobody', cli(6))).resolves.toBeUndefined();
      await expect(t.store.listAudit({ limit: 10 })).resolves.toEqual([
        { id: expect.any(Number), at: 5, action: 'txt.cleared', username: a.username, subdomain: 'Clear-Me', client: null, actor: 'cli', detail: '{"removed":2}' },
      ]);
    });

    it('audits creation and updates with the same transaction: a refused change leaves no entry', async () => {
      const a = account({ allowFrom: ['10.1.0.0/16'] });
      await t.store.createAccount(a, api('127.0.0.1', 10));
      await expect(t.store.createAccount({ ...account(), username: a.username }, api('127.0.0.2', 11))).rejects.toBeInstanceOf(StoreConflictError);
      await t.store.putTxt(a.subdomain, txt('one'), 100, api('127.0.0.1', 12));
      await t.store.putTxt(a.subdomain, txt('two'), 100);
      await t.store.putTxt('nobody', txt('three'), 100, api('127.0.0.3', 13));
      await expect(trail(t.store)).resolves.toEqual([
        ['account.created', a.username, '127.0.0.1', 'api'],
        ['txt.updated', a.username, '127.0.0.1', 'api'],
      ]);
      const entries = await t.store.listAudit({ limit: 10 });
      expect(entries[0]!.detail).toBe('{"allowfrom":["10.1.0.0/16"]}');
      // Neither secrets nor TXT values are ever recorded.
      expect(JSON.stringify(entries)).not.toMatch(/\$2a\$|one_|two_/);
    });

    it('lists the audit trail by account and time window, oldest first, page by page', async () => {
      const a = account();
      const b = account();
      await t.store.createAccount(a, api('10.0.0.1', 1000));
      await t.store.createAccount(b, api('10.0.0.2', 2000));
      await t.store.putTxt(a.subdomain, txt('a'), 1, api('10.0.0.1', 3000));
      await t.store.setPasswordHash(b.username, 'h', cli(4000));
      await t.store.deleteAccount(a.username, cli(5000));
      const times = (entries: AuditEntry[]): number[] => entries.map((e) => e.at);
      expect(times(await t.store.listAudit({ limit: 100 }))).toEqual([1000, 2000, 3000, 4000, 5000]);
      expect(times(await t.store.listAudit({ username: a.username, limit: 100 }))).toEqual([1000, 3000, 5000]);
      expect(times(await t.store.listAudit({ since: 2000, until: 4000, limit: 100 }))).toEqual([2000, 3000]);
      expect(times(await t.store.listAudit({ username: b.username, since: 2001, limit: 100 }))).toEqual([4000]);
      const firstPage = await t.store.listAudit({ limit: 2 });
      expect(times(firstPage)).toEqual([1000, 2000]);
      expect(times(await t.store.listAudit({ afterId: firstPage[1]!.id, limit: 2 }))).toEqual([3000, 4000]);
      await expect(trail(t.store, a.username)).resolves.toEqual([
        ['account.created', a.username, '10.0.0.1', 'api'],
        ['txt.updated', a.username, '10.0.0.1', 'api'],
        ['account.deleted', a.username, null, 'cli'],
      ]);
    });

    it('keeps the audit trail across a reopen', async () => {
      const a = account();
      await t.store.createAccount(a, api('127.0.0.1', 42));
      await t.store.close();
      t.store = await t.reopen();
      await expect(trail(t.store)).resolves.toEqual([['account.created', a.username, '127.0.0.1', 'api']]);
    });
  });
}
