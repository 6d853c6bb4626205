/**
 * The zone's background work (issue 10): expired values leave the zone when they expire (the
 * store removes them with one serial bump, so transfers see it; the sweep sleeps until the
 * earliest value's expiry rather than waking the process every second, issue 12), the journal is kept to
 * `journal_size` steps, and every change of the serial is handed to the NOTIFY sender, whether
 * this instance made it (`kick`, called after each local change) or another one or the CLI did
 * (the poll). Every instance runs them; the store makes each safe to run on several at once.
 */
import type { Logger } from '../../log';
import { limitedLine } from '../../log';
import type { ZoneJournalPort } from '../../store/types';

/** What the jobs need. */
export interface ZoneJobsOptions {
  readonly store: Pick<ZoneJournalPort, 'zoneSerial' | 'expireZoneValues' | 'nextZoneExpiry' | 'pruneZoneJournal'>;
  /** Steps of the journal kept (`[transfer] journal_size`). */
  readonly journalSize: number;
  /**
   * The longest time between two sweeps (`[transfer] expiry_interval`). Within it a sweep runs at
   * the second the earliest stored value expires, planned again after each sweep and whenever the
   * serial is seen to change; the bound catches values no serial read saw arrive (another
   * instance's or the CLI's, on a server without secondaries, which reads the serial only after
   * its own changes).
   */
  readonly expiryIntervalMs: number;
  /**
   * How often the serial is read for changes made elsewhere (other instances, the CLI); absent:
   * never. Only NOTIFY needs it, so without secondaries it would be a store read every few
   * seconds on the process that answers DNS, for nothing.
   */
  readonly pollIntervalMs?: number;
  /** The journal is pruned this often (default a minute: it grows by one step per change). */
  readonly pruneIntervalMs?: number;
  /** Called with each serial not seen before (the first one read at start too). */
  readonly onSerial: (serial: number) => void;
  readonly logger: Logger;
  /** Seconds; default Date.now()/1000. */
  readonly now?: () => number;
}

/** The running jobs. */
export interface ZoneJobs {
  /** Reads the serial soon (after a local change); calls during a read make one more read after it. */
  kick(): void;
  /** Stops the timers and waits for the work in flight. */
  stop(): Promise<void>;
}

/** A store outage logs one line per this many ms per job, not one per second. */
const FAILURE_LOG_MS = 60_000;
const PRUNE_INTERVAL_MS = 60_000;
/**
 * A sweep is never planned sooner than this after the last one: a value it could not remove (PostgreSQL
 * skips rows another transaction holds) must not turn the plan into a loop.
 */
const SWEEP_GAP_MS = 1_000;

/** Starts the jobs; the serial is read at once, so a restart notifies what changed while down. */
export function startZoneJobs(options: ZoneJobsOptions): ZoneJobs {
  const { store, logger } = options;
  const now = options.now ?? ((): number => Date.now() / 1000);
  const timers = new Set<NodeJS.Timeout>();
  const inflight = new Set<Promise<void>>();
  let stopped = false;

  /** Keeps `work` among what stop() waits for until it settles. */
  const track = (work: Promise<void>): void => {
    inflight.add(work);
    void work.finally(() => inflight.delete(work));
  };

  /**
   * `work` (which handles its own errors) run one at a time: a call while a run is in progress
   * asks for one more run after it, however many calls came, so nothing that happened meanwhile
   * is missed. `idle` follows a run that no other follows.
   */
  const oneAtATime = (work: () => Promise<void>, idle?: () => void): (() => void) => {
    let running = false;
    let again = false;
    const run = (): void => {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      track(
        work().finally(() => {
          running = false;
          if (again) {
            again = false;
            run();
          } else idle?.();
        }),
      );
    };
    return run;
  };

  /** Runs `work` every `everyMs` (never twice at once: the next run is timed from the end of the last). */
  const every = (name: string, everyMs: number, work: () => Promise<void>): void => {
    const failedLine = limitedLine(FAILURE_LOG_MS);
    const run = (): void => {
      if (stopped) return;
      track(
        work()
          .catch((err: unknown) => failedLine((suppressed) => logger.warn({ err, suppressed }, `zone job ${name} failed`)))
          .finally(schedule),
      );
    };
    const schedule = (): void => {
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        run();
      }, everyMs);
      timer.unref();
      timers.add(timer);
    };
    schedule();
  };

  // The expiry sweep (issue 12). It ran every second, and each run woke the process that answers
  // DNS: 0.2-0.35 ms of the core for the wake-up alone on the bench's machine, 0.7-1 ms with the
  // sweep and the API's look at its connections, which at 2,000 q/s delayed about one query in a
  // thousand, the p99.9 of the tail. Now one timer is armed for the earliest second a value
  // expires (or expiryIntervalMs, if sooner), and only an earlier plan replaces it.
  const sweepFailed = limitedLine(FAILURE_LOG_MS);
  const planFailed = limitedLine(FAILURE_LOG_MS);
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweepDueMs = Infinity;
  const arm = (dueMs: number, minDelayMs: number): void => {
    const nowMs = now() * 1000;
    const at = Math.max(Math.min(dueMs, nowMs + options.expiryIntervalMs), nowMs + minDelayMs);
    if (stopped || at >= sweepDueMs) return;
    if (sweepTimer !== undefined) {
      clearTimeout(sweepTimer);
      timers.delete(sweepTimer);
    }
    sweepDueMs = at;
    wait(at - nowMs);
  };
  /** Sweeps at sweepDueMs; a timer may fire a little early by the wall clock, so it checks. */
  const wait = (delayMs: number): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const earlyMs = sweepDueMs - now() * 1000;
      if (earlyMs > 0) return wait(earlyMs + 1);
      sweepTimer = undefined;
      sweepDueMs = Infinity;
      sweep();
    }, delayMs);
    timer.unref();
    timers.add(timer);
    sweepTimer = timer;
  };
  /** Reads the earliest expiry and arms for it; on failure the sweep comes at the interval's end. */
  const plan = (minDelayMs: number): void => {
    if (stopped) return;
    track(
      store
        .nextZoneExpiry()
        .then((second) => arm(second === undefined ? Infinity : second * 1000, minDelayMs))
        .catch((err: unknown) => {
          planFailed((suppressed) => logger.warn({ err, suppressed }, 'zone job expiry plan failed'));
          arm(Infinity, minDelayMs);
        }),
    );
  };
  const sweep = oneAtATime(
    () =>
      store
        .expireZoneValues(Math.floor(now()))
        .then((removed) => {
          if (removed > 0) {
            logger.debug({ removed }, 'expired TXT values removed from the zone');
            kick();
          }
        })
        .catch((err: unknown) => sweepFailed((suppressed) => logger.warn({ err, suppressed }, 'zone job expiry failed'))),
    () => plan(SWEEP_GAP_MS),
  );

  let last: number | undefined;
  const readSerial = async (): Promise<void> => {
    const serial = await store.zoneSerial();
    if (serial !== last) {
      last = serial;
      options.onSerial(serial);
      // A change (this instance's, or one the poll saw) may hold a value that expires sooner.
      plan(0);
    }
  };
  const kickFailed = limitedLine(FAILURE_LOG_MS);
  const kick = oneAtATime(() =>
    readSerial().catch((err: unknown) => kickFailed((suppressed) => logger.warn({ err, suppressed }, 'reading the zone serial failed'))),
  );

  if (options.pollIntervalMs !== undefined) every('serial poll', options.pollIntervalMs, async () => kick());
  every('journal prune', options.pruneIntervalMs ?? PRUNE_INTERVAL_MS, async () => {
    const pruned = await store.pruneZoneJournal(options.journalSize);
    if (pruned > 0) logger.debug({ pruned }, 'zone journal pruned');
  });
  kick();

  return {
    kick,
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };
}
