/**
 * The zone jobs' serial poll (issue 12): it exists for NOTIFY, so a server with no secondaries
 * (no poll interval) reads the serial once at start and after its own changes, never on a timer.
 */
import { silentLogger } from '../../log';
import { startZoneJobs, type ZoneJobsOptions } from './jobs';

/** A store that counts serial reads; expiry and prune find nothing. */
function countingStore(): ZoneJobsOptions['store'] & { reads: number } {
  const store = {
    reads: 0,
    async zoneSerial() {
      store.reads += 1;
      return 7;
    },
    async expireZoneValues() {
      return 0;
    },
    async pruneZoneJournal() {
      return 0;
    },
  };
  return store;
}

/** Resolves once `done()` holds, polling every 5 ms; rejects after `ms`. */
async function until(done: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const base = { journalSize: 10, expiryIntervalMs: 5, onSerial: () => undefined, logger: silentLogger() };

test('with a poll interval the serial is read again and again', async () => {
  const store = countingStore();
  const jobs = startZoneJobs({ ...base, store, pollIntervalMs: 5 });
  try {
    await until(() => store.reads >= 3);
  } finally {
    await jobs.stop();
  }
});

test('without one it is read at start and after a kick only, however long the jobs run', async () => {
  const store = countingStore();
  let sweeps = 0;
  const jobs = startZoneJobs({
    ...base,
    store: {
      ...store,
      zoneSerial: () => store.zoneSerial(),
      async expireZoneValues() {
        sweeps += 1;
        return 0;
      },
    },
  });
  try {
    // Twenty expiry sweeps (5 ms apart) are the clock: a poll at any interval the sweeps allow
    // would have read the serial meanwhile.
    await until(() => sweeps >= 20);
    expect(store.reads).toBe(1);
    jobs.kick();
    await until(() => store.reads === 2);
    await until(() => sweeps >= 40);
    expect(store.reads).toBe(2);
  } finally {
    await jobs.stop();
  }
});
