import { serialFromTime } from '../../src/dns/zone';
import type { Account } from '../../src/core/types';
import type { ZoneDelta, ZoneTxt } from '../../src/store/types';
import { account, txt, TEST_ZONE, type StoreUnderTest } from './store-contract';

const CHALLENGE = `_acme-challenge.${TEST_ZONE}`;
const OUTSIDE = '_acme-challenge.elsewhere.example.net';

/** The owner of an account's values in the zone. */
export function ownerOf(a: Account): string {
  return `${a.subdomain.toLowerCase()}.${TEST_ZONE}`;
}

const rec = (owner: string, tag: string): ZoneTxt => ({ owner, value: txt(tag) });
const byText = (a: ZoneTxt, b: ZoneTxt): number => (a.owner + a.value < b.owner + b.value ? -1 : 1);

/** A step with its records sorted (the order within one step's deletions or additions is not part of the contract). */
function sorted(d: ZoneDelta): ZoneDelta {
  return { from: d.from, to: d.to, removed: [...d.removed].sort(byText), added: [...d.added].sort(byText) };
}

/** The zone's serial and journal: part of the contract every Store meets (issue 10, DESIGN rule 6). */
export function describeZoneContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`Store contract, zone serial and journal: ${name}`, () => {
    let t: StoreUnderTest;
    beforeEach(async () => {
      t = await open();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    /** The steps since `from`, sorted within each; fails when the journal does not reach back. */
    async function stepsSince(from: number): Promise<ZoneDelta[]> {
      const steps = await t.store.zoneChangesSince(from);
      expect(steps).toBeDefined();
      return (steps ?? []).map(sorted);
    }

    it('starts at the serial served before (YYYYMMDDHH of the migration, UTC)', async () => {
      const now = Date.now() / 1000;
      expect([serialFromTime(now), serialFromTime(now - 3600)]).toContain(await t.store.zoneSerial());
    });

    it('bumps the serial by one exactly when the zone content changes, and never otherwise', async () => {
      const a = account();
      const b = account();
      const imported = account();
      const keyOf = { name: 'k1.example', algorithm: 'hmac-sha256', secret: Buffer.from('secret') } as const;
      const steps: [string, () => Promise<unknown>, 0 | 1][] = [
        ['account created', () => t.store.createAccount(a), 0],
        ['second account created', () => t.store.createAccount(b), 0],
        ['new value', () => t.store.putTxt(a.subdomain, txt('v1'), 100), 1],
        ['same value again (refresh)', () => t.store.putTxt(a.subdomain, txt('v1'), 101), 0],
        ['value for a name nobody has', () => t.store.putTxt('nobody', txt('v1'), 101), 0],
        ['removal of a value not there', () => t.store.removeTxt(a.subdomain, txt('none')), 0],
        ['password rotated', () => t.store.setPasswordHash(a.username, 'h'), 0],
        ['allowfrom changed', () => t.store.setAllowFrom(a.username, ['10.0.0.0/8']), 0],
        ['TSIG key added', () => t.store.addTsigKey(a.username, keyOf, 100), 0],
        ['TSIG key removed', () => t.store.removeTsigKey(keyOf.name), 0],
        ['second value', () => t.store.putTxt(a.subdomain, txt('v2'), 102), 1],
        ['value removed', () => t.store.removeTxt(a.subdomain, txt('v2')), 1],
        ['values cleared', () => t.store.clearTxt(a.subdomain), 1],
        ['nothing left to clear', () => t.store.clearTxt(a.subdomain), 0],
        ['value of the second account', () => t.store.putTxt(b.subdomain, txt('b1'), 103), 1],
        ['account with a value deleted', () => t.store.deleteAccount(b.username), 1],
        ['account without values deleted', () => t.store.deleteAccount(a.username), 0],
        ['own challenge published', () => t.store.putChallenge(CHALLENGE, txt('c1'), 5000), 1],
        ['own challenge published again', () => t.store.putChallenge(CHALLENGE, txt('c1'), 6000), 0],
        ['challenge outside the zone', () => t.store.putChallenge(OUTSIDE, txt('c1'), 5000), 0],
        ['challenge outside the zone withdrawn', () => t.store.removeChallenge(OUTSIDE, txt('c1')), 0],
        ['own challenge not there withdrawn', () => t.store.removeChallenge(CHALLENGE, txt('none')), 0],
        ['own challenge withdrawn', () => t.store.removeChallenge(CHALLENGE, txt('c1')), 1],
        ['import with values', () => t.store.importAccounts([{ account: imported, values: [{ value: txt('i1'), updatedAt: 50 }, { value: txt('i2'), updatedAt: 51 }] }]), 1],
        ['same import again', () => t.store.importAccounts([{ account: imported, values: [{ value: txt('i1'), updatedAt: 50 }] }]), 0],
        ['import without values', () => t.store.importAccounts([{ account: account(), values: [] }]), 0],
        ['expiry with nothing expired', () => t.store.expireZoneValues(60), 0],
        ['journal pruned', () => t.store.pruneZoneJournal(1), 0],
        ['update refused by its prerequisite', () => t.store.applyTxtUpdate(imported.subdomain, { deleteAll: true, remove: [], add: [] }, () => false, 60), 0],
        ['update of a name nobody has', () => t.store.applyTxtUpdate('nobody', { deleteAll: true, remove: [], add: [txt('x')] }, () => true, 60), 0],
        ['update that only refreshes', () => t.store.applyTxtUpdate(imported.subdomain, { deleteAll: false, remove: [], add: [txt('i1')] }, () => true, 60), 0],
        ['update that changes', () => t.store.applyTxtUpdate(imported.subdomain, { deleteAll: true, remove: [], add: [] }, () => true, 60), 1],
      ];
      for (const [what, act, bumps] of steps) {
        const before = await t.store.zoneSerial();
        await act();
        expect([what, await t.store.zoneSerial()]).toEqual([what, before + bumps]);
      }
    });

    it('journals what each change did, one step per change, chained from serial to serial', async () => {
      const a = account({ subdomain: 'Journal-Case' });
      const b = account();
      const o = ownerOf(a);
      await t.store.createAccount(a);
      const s0 = await t.store.zoneSerial();
      await t.store.putTxt(a.subdomain, txt('v1'), 100);
      for (const [tag, at] of [['v2', 101], ['v3', 102], ['v4', 103]] as const) await t.store.putTxt(a.subdomain, txt(tag), at);
      await t.store.putTxt(a.subdomain, txt('v5'), 104); // keep 4: v1 goes
      await t.store.putTxt(a.subdomain, txt('v6'), 2000); // max age 1000: v2..v5 go
      await t.store.removeTxt(a.subdomain, txt('v6'));
      await t.store.putChallenge(CHALLENGE.toUpperCase(), txt('c1'), 5000);
      await t.store.removeChallenge(CHALLENGE, txt('c1'));
      await t.store.putTxt(a.subdomain, txt('v7'), 2001);
      await t.store.deleteAccount(a.username);
      await t.store.importAccounts([
        { account: b, values: [{ value: txt('b1'), updatedAt: 10 }] },
        { account: a, values: [{ value: txt('a1'), updatedAt: 11 }] },
      ]);
      const steps = await stepsSince(s0);
      const s = (i: number): number => s0 + i;
      const ob = ownerOf(b);
      expect(steps).toEqual([
        { from: s(0), to: s(1), removed: [], added: [rec(o, 'v1')] },
        { from: s(1), to: s(2), removed: [], added: [rec(o, 'v2')] },
        { from: s(2), to: s(3), removed: [], added: [rec(o, 'v3')] },
        { from: s(3), to: s(4), removed: [], added: [rec(o, 'v4')] },
        { from: s(4), to: s(5), removed: [rec(o, 'v1')], added: [rec(o, 'v5')] },
        { from: s(5), to: s(6), removed: ['v2', 'v3', 'v4', 'v5'].map((v) => rec(o, v)), added: [rec(o, 'v6')] },
        { from: s(6), to: s(7), removed: [rec(o, 'v6')], added: [] },
        { from: s(7), to: s(8), removed: [], added: [rec(CHALLENGE, 'c1')] },
        { from: s(8), to: s(9), removed: [rec(CHALLENGE, 'c1')], added: [] },
        { from: s(9), to: s(10), removed: [], added: [rec(o, 'v7')] },
        { from: s(10), to: s(11), removed: [rec(o, 'v7')], added: [] },
        { from: s(11), to: s(12), removed: [], added: [rec(o, 'a1'), rec(ob, 'b1')].sort(byText) },
      ]);
      await expect(t.store.zoneSerial()).resolves.toBe(s(12));
      // From the middle: the rest of the chain; from the current serial: nothing to do.
      expect((await stepsSince(s(10))).map((d) => [d.from, d.to])).toEqual([[s(10), s(11)], [s(11), s(12)]]);
      await expect(t.store.zoneChangesSince(s(12))).resolves.toEqual([]);
      // A serial the journal never had (ahead of it, or before it began): undefined.
      await expect(t.store.zoneChangesSince(s(13))).resolves.toBeUndefined();
      await expect(t.store.zoneChangesSince(s(-1))).resolves.toBeUndefined();
    });

    it('reads a snapshot: the serial and every live value and own challenge, nothing stale or outside', async () => {
      const a = account({ subdomain: 'Snap-A' });
      const b = account();
      await t.store.createAccount(a);
      await t.store.createAccount(b);
      await t.store.putTxt(a.subdomain, txt('stale'), 900);
      await t.store.putTxt(a.subdomain, txt('a-live'), 1500);
      await t.store.putTxt(b.subdomain, txt('b-live'), 1900);
      await t.store.putChallenge(CHALLENGE, txt('c-live'), 2000);
      await t.store.putChallenge(`other.${CHALLENGE}`, txt('c-past'), 1999);
      await t.store.putChallenge(OUTSIDE, txt('c-outside'), 9000);
      const snapshot = await t.store.zoneSnapshot(2000);
      expect(snapshot.serial).toBe(await t.store.zoneSerial());
      expect([...snapshot.records].sort(byText)).toEqual(
        [rec(ownerOf(a), 'a-live'), rec(ownerOf(b), 'b-live'), rec(CHALLENGE, 'c-live')].sort(byText),
      );
      expect((await t.store.zoneSnapshot(100)).records).toHaveLength(5);
    });

    it('expires values past the maximum age and challenges past their expiry in one journaled step, once', async () => {
      const a = account();
      await t.store.createAccount(a);
      await t.store.putTxt(a.subdomain, txt('old'), 900);
      await t.store.putTxt(a.subdomain, txt('new'), 1500);
      await t.store.putChallenge(CHALLENGE, txt('c-live'), 2000);
      await t.store.putChallenge(CHALLENGE, txt('c-past'), 1999);
      await t.store.putChallenge(OUTSIDE, txt('c-outside'), 1000);
      const before = await t.store.zoneSerial();
      await expect(t.store.expireZoneValues(2000)).resolves.toBe(3);
      await expect(t.store.zoneSerial()).resolves.toBe(before + 1);
      await expect(stepsSince(before)).resolves.toEqual([
        { from: before, to: before + 1, removed: [rec(CHALLENGE, 'c-past'), rec(ownerOf(a), 'old')].sort(byText), added: [] },
      ]);
      await expect(t.store.lookup(a.subdomain, 0)).resolves.toEqual({ values: [txt('new')] });
      await expect(t.store.challengeValues(CHALLENGE, 0)).resolves.toEqual([txt('c-live')]);
      await expect(t.store.challengeValues(OUTSIDE, 0)).resolves.toEqual([]);
      await expect(t.store.expireZoneValues(2000)).resolves.toBe(0);
      await expect(t.store.zoneSerial()).resolves.toBe(before + 1);
    });

    it('plans the next sweep at the first second past the earliest value\'s last live one (max age 1000 s)', async () => {
      await expect(t.store.nextZoneExpiry()).resolves.toBeUndefined();
      const a = account();
      await t.store.createAccount(a);
      await t.store.putTxt(a.subdomain, txt('aging'), 900);
      await expect(t.store.nextZoneExpiry()).resolves.toBe(1901);
      await t.store.putChallenge(CHALLENGE, txt('c-sooner'), 1500);
      await expect(t.store.nextZoneExpiry()).resolves.toBe(1501);
      await expect(t.store.expireZoneValues(1500)).resolves.toBe(0);
      await expect(t.store.expireZoneValues(1501)).resolves.toBe(1);
      await expect(t.store.nextZoneExpiry()).resolves.toBe(1901);
      await expect(t.store.expireZoneValues(1900)).resolves.toBe(0);
      await expect(t.store.expireZoneValues(1901)).resolves.toBe(1);
      await expect(t.store.nextZoneExpiry()).resolves.toBeUndefined();
    });

    it('prunes the journal to the newest steps; older serials are then unknown', async () => {
      const a = account();
      await t.store.createAccount(a);
      const s0 = await t.store.zoneSerial();
      for (let i = 0; i < 5; i += 1) await t.store.putTxt(a.subdomain, txt(`p${i}`), 100 + i);
      await expect(t.store.pruneZoneJournal(2)).resolves.toBe(3);
      await expect(t.store.pruneZoneJournal(2)).resolves.toBe(0);
      await expect(t.store.zoneChangesSince(s0)).resolves.toBeUndefined();
      await expect(t.store.zoneChangesSince(s0 + 2)).resolves.toBeUndefined();
      expect((await stepsSince(s0 + 3)).map((d) => d.added)).toEqual([[rec(ownerOf(a), 'p3')], [rec(ownerOf(a), 'p4')]]);
      await expect(t.store.pruneZoneJournal(0)).resolves.toBe(2);
      await expect(t.store.zoneChangesSince(s0 + 4)).resolves.toBeUndefined();
      await expect(t.store.zoneChangesSince(s0 + 5)).resolves.toEqual([]);
      // The journal goes on after being emptied.
      await t.store.putTxt(a.subdomain, txt('p5'), 105);
      expect(await stepsSince(s0 + 5)).toHaveLength(1);
    });

    it('prunes a journal longer than one batch, versions and their rows', async () => {
      const count = 12_001;
      await t.run(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count}) ` +
          'INSERT INTO zone_versions (from_serial, to_serial, at) SELECT i, i + 1, 0 FROM n',
      );
      await t.run("INSERT INTO zone_changes (version_id, op, name, own, value) SELECT id, 'add', 'x', false, 'v' FROM zone_versions");
      const a = account();
      await t.store.createAccount(a);
      const s0 = await t.store.zoneSerial();
      await t.store.putTxt(a.subdomain, txt('after'), 100);
      await expect(t.store.pruneZoneJournal(1)).resolves.toBe(count);
      const left = await t.run('SELECT count(*) AS n FROM zone_changes');
      expect(Number(left[0]?.n)).toBe(1);
      expect((await stepsSince(s0)).map((d) => d.added)).toEqual([[rec(ownerOf(a), 'after')]]);
    });

    it('keeps the serial and the journal across a reopen', async () => {
      const a = account();
      await t.store.createAccount(a);
      const s0 = await t.store.zoneSerial();
      await t.store.putTxt(a.subdomain, txt('r1'), 100);
      await t.store.close();
      t.store = await t.reopen();
      await expect(t.store.zoneSerial()).resolves.toBe(s0 + 1);
      await t.store.putTxt(a.subdomain, txt('r2'), 101);
      expect((await stepsSince(s0)).map((d) => [d.from, d.to])).toEqual([[s0, s0 + 1], [s0 + 1, s0 + 2]]);
    });

    it('wraps from 4294967295 to 0 (RFC 1982 §3.1) and chains across the wrap', async () => {
      const a = account();
      await t.store.createAccount(a);
      await t.run('UPDATE zone_state SET serial = 4294967295 WHERE id = 1');
      await expect(t.store.zoneSerial()).resolves.toBe(4294967295);
      await t.store.putTxt(a.subdomain, txt('w1'), 100);
      await expect(t.store.zoneSerial()).resolves.toBe(0);
      await t.store.putTxt(a.subdomain, txt('w2'), 101);
      await expect(t.store.zoneSerial()).resolves.toBe(1);
      expect((await stepsSince(4294967295)).map((d) => [d.from, d.to])).toEqual([[4294967295, 0], [0, 1]]);
    });
  });
}
