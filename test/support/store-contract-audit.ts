import type { AuditContext } from '../../src/store/admin-types';
import { pruneAuditBefore, startAuditRetention } from '../../src/store/audit-retention';
import type { Store } from '../../src/store/types';
import { captureLogger } from './capture-logger';
import { account, txt, type StoreUnderTest } from './store-contract';

const at = (ms: number): AuditContext => ({ actor: 'api', client: '192.0.2.1', at: ms });

/** One account with one audit entry at each of `times` (Unix ms): its creation, then updates. */
async function entriesAt(store: Store, times: readonly number[]): Promise<void> {
  const [first, ...rest] = times;
  if (first === undefined) return;
  const a = account();
  await store.createAccount(a, at(first));
  for (const [i, ms] of rest.entries()) await store.putTxt(a.subdomain, txt(`v${i}`), 100 + i, at(ms));
}

/** The times of every audit entry, oldest first. */
async function times(store: Store): Promise<number[]> {
  return (await store.listAudit({ limit: 100_000 })).map((e) => e.at);
}

/** Audit retention (pruneAudit and the job around it): part of the contract every Store meets. */
export function describeAuditRetentionContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`Store contract, audit retention: ${name}`, () => {
    let t: StoreUnderTest;
    beforeEach(async () => {
      t = await open();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('prunes exactly the entries older than the cutoff, oldest first, at most `limit` a call', async () => {
      await entriesAt(t.store, [1000, 5000, 1999, 2000, 1500, 2001, 3000]);
      // The limit bounds one call and takes the oldest: 1000 and 1500, not 1999.
      await expect(t.store.pruneAudit(2000, 2)).resolves.toBe(2);
      expect(await times(t.store)).toEqual([5000, 1999, 2000, 2001, 3000]);
      await expect(t.store.pruneAudit(2000, 100)).resolves.toBe(1);
      expect(await times(t.store)).toEqual([5000, 2000, 2001, 3000]);
      // Nothing older is left: the cutoff itself is kept.
      await expect(t.store.pruneAudit(2000, 100)).resolves.toBe(0);
      await expect(t.store.pruneAudit(2000, 0)).resolves.toBe(0);
      expect(await times(t.store)).toEqual([5000, 2000, 2001, 3000]);
    });

    it('prunes more entries than one batch, in batches, and keeps the newer ones', async () => {
      const old = Array.from({ length: 23 }, (_, i) => 10_000 + i);
      const kept = [20_000, 20_001, 30_000];
      await entriesAt(t.store, [...old, ...kept]);
      const calls: number[] = [];
      const counting = { pruneAudit: async (before: number, limit: number) => {
        const n = await t.store.pruneAudit(before, limit);
        calls.push(n);
        return n;
      } };
      await expect(pruneAuditBefore(counting, 20_000, 5)).resolves.toBe(23);
      // Four full batches and a short one that ends the loop.
      expect(calls).toEqual([5, 5, 5, 5, 3]);
      expect(await times(t.store)).toEqual(kept);
    });

    it('prunes from two instances at once without deleting an entry twice or a newer one', async () => {
      const old = Array.from({ length: 40 }, (_, i) => 1000 + i);
      await entriesAt(t.store, [...old, 9000, 9001]);
      const other = await t.reopen();
      try {
        const [a, b] = await Promise.all([pruneAuditBefore(t.store, 5000, 3), pruneAuditBefore(other, 5000, 3)]);
        expect(a + b).toBe(40);
      } finally {
        await other.close();
      }
      expect(await times(t.store)).toEqual([9000, 9001]);
    });

    it('the retention job prunes entries older than the retention from now, and logs the count once', async () => {
      const now = 100 * 86400_000;
      const day = 86400_000;
      await entriesAt(t.store, [now - 31 * day, now - 30 * day - 1, now - 30 * day, now - day, now]);
      const log = captureLogger();
      log.logger.level = 'info';
      const job = startAuditRetention({ store: t.store, retentionSeconds: 30 * 86400, logger: log.logger, now: () => now, firstRunMs: 3600_000 });
      try {
        await expect(job.runOnce()).resolves.toBe(2);
        await expect(job.runOnce()).resolves.toBe(0);
      } finally {
        await job.stop();
      }
      expect(await times(t.store)).toEqual([now - 30 * day, now - day, now]);
      expect(log.lines.filter((l) => l.msg === 'pruned old audit entries').map((l) => l.pruned)).toEqual([2]);
    });

    it('retention 0 keeps every entry, however old', async () => {
      await entriesAt(t.store, [1, 1000, 86400_000]);
      const log = captureLogger();
      log.logger.level = 'info';
      const job = startAuditRetention({ store: t.store, retentionSeconds: 0, logger: log.logger, firstRunMs: 0 });
      try {
        await expect(job.runOnce()).resolves.toBe(0);
      } finally {
        await job.stop();
      }
      expect(await times(t.store)).toEqual([1, 1000, 86400_000]);
      expect(log.lines).toEqual([]);
    });
  });
}
