/**
 * The zone jobs' serial poll (issue 12): it exists for NOTIFY, so a server with no secondaries
 * (no poll interval) reads the serial once at start and after its own changes, never on a timer.
 */
import { until } from '../../../test/support/poll';
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

const base = { journalSize: 10, expiryIntervalMs: 5, onSerial: () => undefined, logger: silentLogger() };

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
  let sweeps = 0;
  const jobs = startZoneJobs({
    ...base,
    store: {
      ...store,
      async expireZoneValues() {
        sweeps += 1;
        return 0;
      },
    },
  });
  try {
    // Twenty expiry sweeps (5 ms apart) are the clock: a poll at any interval the sweeps allow
    // would have read the serial meanwhile.
    await until('twenty sweeps', () => sweeps >= 20, { everyMs: 5 });
    expect(store.reads).toBe(1);
    jobs.kick();
    await until('the kick\'s read', () => store.reads === 2, { everyMs: 5 });
    await until('twenty more sweeps', () => sweeps >= 40, { everyMs: 5 });
    expect(store.reads).toBe(2);
  } finally {
    await jobs.stop();
  }
});
