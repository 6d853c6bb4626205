/**
 * Audit retention (`[audit] retention`): entries older than the retention are deleted in the
 * background, in batches, so the trail stops growing without bound (an account looping updates
 * writes ~205 bytes an entry). Every instance runs it; with several on one PostgreSQL database two
 * prunes at once take disjoint batches (see pruneAudit), so no coordination is needed.
 */
import { setTimeout as rest } from 'node:timers/promises';
import type { Logger } from '../log';
import type { AdminPort } from './types';

/**
 * Entries per statement. Measured on SQLite (1M entries, a busy 2-core machine): 0.1-0.2 s a batch,
 * most of it the commit's fsync that any update pays too, 20 s in all with the rests; smaller
 * batches pay that fsync more often for little gain (1,000 a batch: still ~0.1 s each, 118 s in all).
 */
export const AUDIT_PRUNE_BATCH = 10_000;
/** The longest rest between two batches (each rests as long as the last batch took, up to this). */
const MAX_REST_MS = 1000;
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
  readonly store: Pick<AdminPort, 'pruneAudit'>;
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
 * Deletes every entry older than `before` (Unix ms), `batchSize` at a time, resting between
 * batches as long as the last one took: a SQLite batch holds the event loop and the one write lock,
 * so DNS and the API get at least half the time while a big backlog goes. Stops after the current
 * batch when `signal` aborts (a rest ends at once). How many entries went.
 */
export async function pruneAuditBefore(
  store: Pick<AdminPort, 'pruneAudit'>,
  before: number,
  batchSize: number = AUDIT_PRUNE_BATCH,
  signal?: AbortSignal,
): Promise<number> {
  let total = 0;
  while (signal?.aborted !== true) {
    const started = performance.now();
    const pruned = await store.pruneAudit(before, batchSize);
    total += pruned;
    // A short batch means nothing older is left (or another instance is deleting the rest).
    if (pruned < batchSize) break;
    const resting = Math.min(performance.now() - started, MAX_REST_MS);
    await rest(resting, undefined, signal ? { signal } : {}).catch(() => undefined);
  }
  return total;
}

/** Starts the retention job: a first run after `firstRunMs`, then every `intervalMs`. Timers are unref'd. */
export function startAuditRetention(options: AuditRetentionOptions): AuditRetention {
  const { store, retentionSeconds, logger } = options;
  const now = options.now ?? Date.now;
  const batchSize = options.batchSize ?? AUDIT_PRUNE_BATCH;
  const stopping = new AbortController();
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const prune = async (): Promise<number> => {
    const before = now() - retentionSeconds * 1000;
    const pruned = await pruneAuditBefore(store, before, batchSize, stopping.signal);
    if (pruned > 0) logger.info({ pruned, before: new Date(before).toISOString() }, 'pruned old audit entries');
    return pruned;
  };
  const runOnce = (): Promise<number> => {
    if (retentionSeconds <= 0 || stopping.signal.aborted) return Promise.resolve(0);
    running ??= prune().finally(() => {
      running = undefined;
    });
    return running;
  };
  const schedule = (delayMs: number): void => {
    if (stopping.signal.aborted || retentionSeconds <= 0) return;
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
      stopping.abort();
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
