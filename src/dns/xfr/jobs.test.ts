/**
 * The zone jobs' timers (issue 12): the serial poll exists for NOTIFY, so a server with no
 * secondaries (no poll interval) reads the serial once at start and after its own changes, never
 * on a timer; and the expiry sweep sleeps until the earliest value expires (or the interval's
 * end), planned again after each sweep and each change of the serial, instead of running every second.
 */
import { until } from '../../../test/support/poll';
import { silentLogger } from '../../log';
import { startZoneJobs, type ZoneJobsOptions } from './jobs';

/**
 * A store that counts serial reads and records its sweeps; `next` is what nextZoneExpiry answers,
 * and a sweep at or after it removes that value (bumping the serial).
 */
function countingStore(): ZoneJobsOptions['store'] & { reads: number; serial: number; sweeps: number[]; next: number | undefined } {
  const store = {
    reads: 0,
    serial: 7,
    sweeps: [] as number[],
    next: undefined as number | undefined,
    async zoneSerial() {
      store.reads += 1;
      return store.serial;
    },
    async expireZoneValues(nowSeconds: number) {
      store.sweeps.push(nowSeconds);
      if (store.next === undefined || nowSeconds < store.next) return 0;
      store.next = undefined;
      store.serial += 1;
      return 1;
    },
    async nextZoneExpiry() {
      return store.next;
    },
    async pruneZoneJournal() {
      return 0;
    },
  };
  return store;
}

const base = { journalSize: 10, expiryIntervalMs: 60_000, onSerial: () => undefined, logger: silentLogger() };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('with a poll interval the serial is read again and again', async () => {
  const store = countingStore();
  const jobs = startZoneJobs({ ...base, store, pollIntervalMs: 5 });
  try {
    await until('three serial reads', () => store.reads >= 3, { everyMs: 5 });
  } finally {
    await jobs.stop();
  }
});

test('without one it is read at start and after a kick only, however long the jobs run', async () => {
  const store = countingStore();
  const jobs = startZoneJobs({ ...base, store });
  try {
    // Forty 5 ms poll intervals: a poll at any interval the jobs allow would have read meanwhile.
    await sleep(200);
    expect(store.reads).toBe(1);
    jobs.kick();
    await until('the kick\'s read', () => store.reads === 2, { everyMs: 5 });
    await sleep(200);
    expect(store.reads).toBe(2);
  } finally {
    await jobs.stop();
  }
});

describe('the expiry sweep', () => {
  test('runs at the second the earliest value expires, not before, and not again while nothing else is due', async () => {
    const store = countingStore();
    const due = Math.floor(Date.now() / 1000) + 2;
    store.next = due;
    const jobs = startZoneJobs({ ...base, store });
    try {
      await sleep(500);
      expect(store.sweeps).toEqual([]);
      await until('the sweep at the due second', () => store.sweeps.length === 1, { everyMs: 20, timeoutMs: 5_000 });
      expect(store.sweeps[0]).toBe(due);
      await sleep(1_500);
      expect(store.sweeps).toHaveLength(1);
    } finally {
      await jobs.stop();
    }
  });

  test('with nothing to expire it sweeps once per interval (what no serial read saw arrive)', async () => {
    const store = countingStore();
    const jobs = startZoneJobs({ ...base, store, expiryIntervalMs: 1_000 });
    try {
      await sleep(600);
      expect(store.sweeps).toEqual([]);
      await until('the interval\'s sweep', () => store.sweeps.length === 1, { everyMs: 20, timeoutMs: 5_000 });
      await until('the next interval\'s sweep', () => store.sweeps.length === 2, { everyMs: 20, timeoutMs: 5_000 });
    } finally {
      await jobs.stop();
    }
  });

  test('a change of the serial with a value already due sweeps at once; one without keeps the plan', async () => {
    const store = countingStore();
    const jobs = startZoneJobs({ ...base, store });
    try {
      await sleep(200);
      expect(store.sweeps).toEqual([]);
      jobs.kick(); // same serial: nothing changed, nothing planned
      await sleep(200);
      expect(store.sweeps).toEqual([]);
      store.next = Math.floor(Date.now() / 1000) - 1;
      store.serial += 1;
      jobs.kick();
      await until('the sweep of the new value', () => store.sweeps.length === 1, { everyMs: 5, timeoutMs: 1_000 });
    } finally {
      await jobs.stop();
    }
  });

  test('stop() clears the planned sweep', async () => {
    const store = countingStore();
    store.next = Math.floor(Date.now() / 1000) + 2;
    const jobs = startZoneJobs({ ...base, store });
    await sleep(100);
    await jobs.stop();
    await sleep(2_500);
    expect(store.sweeps).toEqual([]);
  });
});
