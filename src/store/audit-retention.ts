/**
 * Audit retention (`[audit] retention`): entries older than the retention are deleted in the
 * background, in batches, so the trail stops growing without bound (an account looping updates
 * writes ~205 bytes an entry). Every instance runs it; with several on one PostgreSQL database two
 * prunes at once take disjoint batches (see pruneAudit), so no coordination is needed.
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { Logger } from '../log';
import type { AccountAdmin } from './admin-types';

/**
 * Entries per statement. Measured on SQLite: a batch of this size takes milliseconds, so DNS and
 * the API (one event loop, one writer) wait at most that long between batches.
 */
export const AUDIT_PRUNE_BATCH = 10_000;
/** The first prune after start: soon, but after the start's own work (migrations, the certificate). */
const FIRST_RUN_MS = 60_000;
/** Then hourly: the trail is measured in days, an hour's growth is small. */
const INTERVAL_MS = 3600_000;

/** Timing and batching; tests shorten them, production uses the defaults. */
export interface AuditRetentionTiming {
  readonly firstRunMs?: number;
  readonly intervalMs?: number;
  readonly batchSize?: number;
}

/** What the retention job is built from. */
export interface AuditRetentionOptions extends AuditRetentionTiming {
  readonly store: Pick<AccountAdmin, 'pruneAudit'>;
  /** Seconds an entry is kept; 0 keeps every entry (the job never runs). */
  readonly retentionSeconds: number;
  readonly logger: Logger;
  /** Unix ms; the instance's clock is fine here (days of retention against seconds of skew). */
  readonly now?: () => number;
}

/** A running retention job. */
export interface AuditRetention {
  /** Prunes now (the scheduled runs call this); how many entries went. Never runs twice at once. */
  runOnce(): Promise<number>;
  /** Cancels the timers and waits for a prune in flight to stop after its current batch. */
  stop(): Promise<void>;
}

/**
 * Deletes every entry older than `before` (Unix ms), `batchSize` at a time, letting pending I/O
 * run between batches; stops early when `stopped()` says so. How many entries went.
 */
export async function pruneAuditBefore(
  store: Pick<AccountAdmin, 'pruneAudit'>,
  before: number,
  batchSize: number = AUDIT_PRUNE_BATCH,
  stopped: () => boolean = () => false,
): Promise<number> {
  let total = 0;
  while (!stopped()) {
    const pruned = await store.pruneAudit(before, batchSize);
    total += pruned;
    // A short batch means nothing older is left (or another instance is deleting the rest).
    if (pruned < batchSize) break;
    await yieldToIo();
  }
  return total;
}

/** Starts the retention job: a first run after `firstRunMs`, then every `intervalMs`. Timers are unref'd. */
export function startAuditRetention(options: AuditRetentionOptions): AuditRetention {
  const { store, retentionSeconds, logger } = options;
  const now = options.now ?? Date.now;
  const batchSize = options.batchSize ?? AUDIT_PRUNE_BATCH;
  let stopped = false;
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const prune = async (): Promise<number> => {
    const before = now() - retentionSeconds * 1000;
    const pruned = await pruneAuditBefore(store, before, batchSize, () => stopped);
    if (pruned > 0) logger.info({ pruned, before: new Date(before).toISOString() }, 'pruned old audit entries');
    return pruned;
  };
  const runOnce = (): Promise<number> => {
    if (retentionSeconds <= 0 || stopped) return Promise.resolve(0);
    running ??= prune().finally(() => {
      running = undefined;
    });
    return running;
  };
  const schedule = (delayMs: number): void => {
    if (stopped || retentionSeconds <= 0) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((err: unknown) => logger.warn({ err }, 'could not prune old audit entries; trying again at the next run'))
        .finally(() => schedule(options.intervalMs ?? INTERVAL_MS));
    }, delayMs);
    // The job never keeps the process alive: stop() or the end of the process ends it.
    timer.unref();
  };
  schedule(options.firstRunMs ?? FIRST_RUN_MS);

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
