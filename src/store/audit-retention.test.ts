/**
 * The retention job around pruneAudit, with a stand-in store: it stops a prune in flight, survives
 * a failing store, and runs again on its interval. (The stores themselves: test/support/store-contract-audit.ts.)
 */
import pino from 'pino';
import { startAuditRetention } from './audit-retention';

const quiet = pino({ enabled: false });

/** Polls `predicate` every 10 ms for at most 10 s. */
async function until(what: string, predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('stop() ends a prune in flight after its current batch, and nothing runs after it', async () => {
  // An endless backlog: every batch is full, so only stop() ends the loop.
  const calls: number[] = [];
  const store = { pruneAudit: async (_before: number, limit: number) => (calls.push(limit), limit) };
  const job = startAuditRetention({ store, retentionSeconds: 60, logger: quiet, firstRunMs: 0, intervalMs: 10, batchSize: 7 });
  await until('a few batches', () => calls.length >= 3);
  await job.stop();
  const after = calls.length;
  await new Promise((r) => setTimeout(r, 100));
  expect(calls.length).toBe(after);
  expect(new Set(calls)).toEqual(new Set([7]));
  await expect(job.runOnce()).resolves.toBe(0);
});

test('a failing store is logged as a warning and tried again at the next run', async () => {
  const lines: { msg: string; level: number }[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as { msg: string; level: number }) });
  let attempts = 0;
  const store = {
    pruneAudit: async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('database is locked');
      return 3;
    },
  };
  const job = startAuditRetention({ store, retentionSeconds: 60, logger, firstRunMs: 0, intervalMs: 10, batchSize: 10 });
  try {
    await until('a prune after the failure', () => lines.some((l) => l.msg === 'pruned old audit entries'));
  } finally {
    await job.stop();
  }
  expect(lines[0]).toMatchObject({ msg: 'could not prune old audit entries; trying again at the next run', level: 40 });
  expect(lines.find((l) => l.msg === 'pruned old audit entries')).toMatchObject({ pruned: 3, level: 30 });
});

test('the cutoff is now minus the retention, in Unix milliseconds', async () => {
  const cutoffs: number[] = [];
  const store = { pruneAudit: async (before: number) => (cutoffs.push(before), 0) };
  const job = startAuditRetention({ store, retentionSeconds: 90 * 86400, logger: quiet, now: () => 10_000_000_000, firstRunMs: 3600_000 });
  await job.runOnce();
  await job.stop();
  expect(cutoffs).toEqual([10_000_000_000 - 90 * 86400_000]);
});
