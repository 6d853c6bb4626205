/**
 * A cap on the authentications running at once per client address. A bcrypt compare occupies a
 * thread of libuv's small pool; without a cap one address with hundreds of requests in flight
 * queues its compares ahead of everyone else's and every other client waits behind them. With a
 * cap, one address has at most `limit` compares in the pool; the rest wait their turn in a short
 * line of its own (so a NAT's honest clients in parallel are served, not refused), and beyond that
 * line they are refused at once. Slots are per address, so one address never takes another's.
 */

/** Gives the slot back; calling it again does nothing. */
export type Release = () => void;

/** Slots by key. */
export interface InFlightSlots {
  /**
   * A slot for `key`: at once when one is free, after the requests ahead of it when the key's
   * line has room, or undefined when `maxWaiting` already wait (refuse the request).
   */
  acquire(key: string): Promise<Release> | undefined;
  /** Keys with requests running or waiting now (an idle key holds no memory). */
  readonly size: number;
}

/** Requests that may wait for a slot per address, beyond those running. */
export const MAX_WAITING_PER_KEY = 64;

interface Entry {
  running: number;
  readonly waiting: Array<(release: Release) => void>;
}

/** Builds slots allowing `limit` at once per key (limit >= 1). */
export function createInFlightSlots(limit: number, maxWaiting = MAX_WAITING_PER_KEY): InFlightSlots {
  // Entries live only while a request holds or awaits a slot, so the map is bounded by the
  // requests in flight, which the HTTP server's connection limit bounds.
  const entries = new Map<string, Entry>();

  const releaser = (key: string, entry: Entry): Release => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = entry.waiting.shift();
      // The slot passes straight to the next in line, so `running` stays as it is.
      if (next !== undefined) {
        next(releaser(key, entry));
        return;
      }
      entry.running -= 1;
      if (entry.running === 0) entries.delete(key);
    };
  };

  return {
    acquire(key) {
      let entry = entries.get(key);
      if (entry === undefined) {
        entry = { running: 0, waiting: [] };
        entries.set(key, entry);
      }
      if (entry.running < limit) {
        entry.running += 1;
        return Promise.resolve(releaser(key, entry));
      }
      if (entry.waiting.length >= maxWaiting) return undefined;
      const queued = entry;
      return new Promise<Release>((resolve) => queued.waiting.push(resolve));
    },
    get size() {
      return entries.size;
    },
  };
}
