import { StoreConflictError } from '../../src/core/errors';
import type { AuditContext, TxtUpdate } from '../../src/store/types';
import { account, txt, type StoreUnderTest } from './store-contract';
import { ownerOf } from './store-contract-zone';

const update = (u: Partial<TxtUpdate>): TxtUpdate => ({ deleteAll: false, remove: [], add: [], ...u });
const rfc2136 = (key: string, at: number): AuditContext => ({ actor: 'rfc2136', client: '192.0.2.53', key, at });
/** Every byte value, so a secret that is not text survives the round trip. */
const SECRET = Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 7 + 3) % 256));

/** TSIG keys and the atomic RFC 2136 update: part of the contract every Store meets (issue 10). */
export function describeKeysContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`Store contract, TSIG keys and RFC 2136 updates: ${name}`, () => {
    let t: StoreUnderTest;
    beforeEach(async () => {
      t = await open();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('applies an update atomically: the check sees the live values newest first, then delete-all, remove, add', async () => {
      const a = account();
      await t.store.createAccount(a);
      await t.store.putTxt(a.subdomain, txt('stale'), 450);
      for (const [tag, at] of [['a', 1200], ['b', 1300], ['c', 1400]] as const) await t.store.putTxt(a.subdomain, txt(tag), at);
      const seen: (readonly string[])[] = [];
      const look = (ok: boolean) => (current: readonly string[]): boolean => {
        seen.push(current);
        return ok;
      };
      const s0 = await t.store.zoneSerial();
      // Refused: nothing changes, no serial step.
      await expect(t.store.applyTxtUpdate(a.subdomain, update({ deleteAll: true }), look(false), 1500)).resolves.toEqual({ kind: 'prerequisite-failed' });
      expect(seen).toEqual([['c', 'b', 'a'].map(txt)]);
      await expect(t.store.lookup(a.subdomain, 1500)).resolves.toEqual({ values: ['c', 'b', 'a'].map(txt) });
      await expect(t.store.zoneSerial()).resolves.toBe(s0);
      // Remove b and add it back (no change), remove a, add d (which prunes the stale value): one
      // step; the counts are what the zone gained and lost at the name.
      await expect(
        t.store.applyTxtUpdate(a.subdomain.toUpperCase(), update({ remove: [txt('a'), txt('b'), txt('never')], add: [txt('b'), txt('d')] }), look(true), 1500),
      ).resolves.toEqual({ kind: 'applied', added: 1, removed: 2 });
      await expect(t.store.lookup(a.subdomain, 1500)).resolves.toEqual({ values: ['d', 'b', 'c'].map(txt) });
      await expect(t.store.zoneSerial()).resolves.toBe(s0 + 1);
      // Delete-all first, then the additions, under the policy (keep 4): one step for all of it.
      const adds = ['e', 'f', 'g', 'h', 'i'].map(txt);
      await expect(t.store.applyTxtUpdate(a.subdomain, update({ deleteAll: true, add: adds }), look(true), 1600)).resolves.toEqual({
        kind: 'applied',
        added: 4,
        removed: 3,
      });
      await expect(t.store.lookup(a.subdomain, 1600)).resolves.toEqual({ values: ['i', 'h', 'g', 'f'].map(txt) });
      await expect(t.store.zoneSerial()).resolves.toBe(s0 + 2);
      const [first, last] = (await t.store.zoneChangesSince(s0)) ?? [];
      expect(first?.removed.map((r) => r.value).sort()).toEqual(['a', 'stale'].map(txt));
      expect(first?.added.map((r) => r.value)).toEqual([txt('d')]);
      expect(last?.removed.map((r) => r.value).sort()).toEqual(['b', 'c', 'd'].map(txt));
      expect(last?.added.map((r) => r.value).sort()).toEqual(['f', 'g', 'h', 'i'].map(txt));
      expect(last?.added.every((r) => r.owner === ownerOf(a))).toBe(true);
      // A name nobody has: gone, before any check.
      await expect(t.store.applyTxtUpdate('nobody', update({ add: [txt('x')] }), look(true), 1600)).resolves.toEqual({ kind: 'gone' });
      expect(seen).toHaveLength(3);
    });

    it('audits an update with the signing key, never a value', async () => {
      const a = account();
      await t.store.createAccount(a);
      await t.store.putTxt(a.subdomain, txt('old'), 100);
      await t.store.applyTxtUpdate(a.subdomain, update({ deleteAll: true, add: [txt('new')] }), () => true, 100, rfc2136('k1.example', 7000));
      await t.store.applyTxtUpdate(a.subdomain, update({ add: [txt('new')] }), () => false, 100, rfc2136('k1.example', 7001));
      const entries = await t.store.listAudit({ username: a.username, limit: 10 });
      expect(entries.map((e) => [e.action, e.actor, e.client, e.at, e.detail])).toEqual([
        ['txt.removed', 'rfc2136', '192.0.2.53', 7000, '{"removed":1,"key":"k1.example"}'],
        ['txt.updated', 'rfc2136', '192.0.2.53', 7000, '{"key":"k1.example"}'],
      ]);
    });

    it('adds, finds (any case, final dot or not), lists and removes TSIG keys; secrets round-trip as bytes', async () => {
      const a = account({ subdomain: 'Key-Owner' });
      const b = account();
      await t.store.createAccount(a);
      await t.store.createAccount(b);
      await expect(t.store.addTsigKey(a.username, { name: 'K1.Example.', algorithm: 'hmac-sha256', secret: SECRET }, 100, rfc2136('x', 1))).resolves.toBe(true);
      await expect(t.store.addTsigKey(a.username, { name: 'k2.example', algorithm: 'hmac-md5', secret: Buffer.from([0]) }, 101)).resolves.toBe(true);
      await expect(t.store.addTsigKey(b.username, { name: 'k3.example', algorithm: 'hmac-sha512', secret: SECRET }, 99)).resolves.toBe(true);
      await expect(t.store.addTsigKey(account().username, { name: 'k4.example', algorithm: 'hmac-sha1', secret: SECRET }, 100)).resolves.toBe(false);
      const k1 = { name: 'k1.example', algorithm: 'hmac-sha256', secret: SECRET, username: a.username, subdomain: 'Key-Owner', createdAt: 100 };
      for (const spelling of ['k1.example', 'K1.EXAMPLE.', 'k1.Example.']) await expect(t.store.findTsigKey(spelling)).resolves.toEqual(k1);
      await expect(t.store.findTsigKey('k4.example')).resolves.toBeUndefined();
      expect((await t.store.findTsigKey('k2.example'))?.secret).toEqual(Buffer.from([0]));
      expect((await t.store.listTsigKeys(a.username)).map((k) => [k.name, k.algorithm, k.createdAt])).toEqual([
        ['k1.example', 'hmac-sha256', 100],
        ['k2.example', 'hmac-md5', 101],
      ]);
      // Removal by another account's username: nothing goes; by its own, or by the operator (no username): it goes.
      await expect(t.store.removeTsigKey('K1.example.', b.username, rfc2136('x', 2))).resolves.toBe(false);
      await expect(t.store.removeTsigKey('K1.example.', a.username, { actor: 'cli', at: 3 })).resolves.toBe(true);
      await expect(t.store.removeTsigKey('k1.example', a.username)).resolves.toBe(false);
      await expect(t.store.removeTsigKey('k3.example.')).resolves.toBe(true);
      await expect(t.store.findTsigKey('k3.example')).resolves.toBeUndefined();
      expect((await t.store.listTsigKeys(a.username)).map((k) => k.name)).toEqual(['k2.example']);
      const entries = await t.store.listAudit({ limit: 10 });
      expect(entries.map((e) => [e.action, e.username, e.subdomain, e.actor, e.detail])).toEqual([
        ['tsig.added', a.username, 'Key-Owner', 'rfc2136', '{"name":"k1.example","algorithm":"hmac-sha256","key":"x"}'],
        ['tsig.removed', a.username, 'Key-Owner', 'cli', '{"name":"k1.example","algorithm":"hmac-sha256"}'],
      ]);
      expect(JSON.stringify(entries)).not.toContain(SECRET.toString('base64').slice(0, 12));
    });

    it('refuses a key name that exists (any account, any case) with StoreConflictError', async () => {
      const a = account();
      const b = account();
      await t.store.createAccount(a);
      await t.store.createAccount(b);
      await t.store.addTsigKey(a.username, { name: 'dup.example', algorithm: 'hmac-sha256', secret: SECRET }, 1);
      await expect(t.store.addTsigKey(b.username, { name: 'DUP.example.', algorithm: 'hmac-sha1', secret: SECRET }, 2, { actor: 'cli' })).rejects.toBeInstanceOf(
        StoreConflictError,
      );
      await expect(t.store.findTsigKey('dup.example')).resolves.toMatchObject({ username: a.username, algorithm: 'hmac-sha256' });
      await expect(t.store.listAudit({ username: b.username, limit: 10 })).resolves.toEqual([]);
    });

    it("deletes an account's keys with the account", async () => {
      const a = account();
      const b = account();
      await t.store.createAccount(a);
      await t.store.createAccount(b);
      await t.store.addTsigKey(a.username, { name: 'gone.example', algorithm: 'hmac-sha256', secret: SECRET }, 1);
      await t.store.addTsigKey(b.username, { name: 'stays.example', algorithm: 'hmac-sha256', secret: SECRET }, 1);
      await t.store.deleteAccount(a.username);
      await expect(t.store.findTsigKey('gone.example')).resolves.toBeUndefined();
      await expect(t.store.listTsigKeys(a.username)).resolves.toEqual([]);
      await expect(t.store.findTsigKey('stays.example')).resolves.toMatchObject({ username: b.username });
      // The name is free again, and a recreated account starts without keys.
      await t.store.createAccount(a);
      await expect(t.store.listTsigKeys(a.username)).resolves.toEqual([]);
      await expect(t.store.addTsigKey(b.username, { name: 'gone.example', algorithm: 'hmac-sha256', secret: SECRET }, 2)).resolves.toBe(true);
    });
  });
}
