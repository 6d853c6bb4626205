/**
 * Which 429s get their own log line. A flood of refused requests from one address would
 * otherwise write a line per request: thousands a second, most of the server's work while the
 * flood lasts (measured: two thirds of the CPU per refused request) and a flooded log. Per
 * client address the first refusal in each interval is logged, with how many were left unlogged
 * since the last line, so fail2ban still sees the address every interval.
 */

/** Decides, per refusal, whether to log it and how many went unlogged before it. */
export interface RefusalLog {
  /** undefined: do not log this one; else the number of refusals since the last line not logged. */
  admit(client: string): number | undefined;
  /** Addresses remembered now (bounded). */
  readonly size: number;
}

/** Addresses remembered; the least recently refused is forgotten first (it is then logged again). */
export const MAX_REFUSING_CLIENTS = 10_000;

/** One line per client per `intervalSeconds`; `clock` is in seconds and monotonic. */
export function createRefusalLog(
  intervalSeconds: number,
  clock: () => number = (): number => performance.now() / 1000,
  maxClients = MAX_REFUSING_CLIENTS,
): RefusalLog {
  const seen = new Map<string, { at: number; suppressed: number }>();
  return {
    admit(client) {
      const now = clock();
      const entry = seen.get(client);
      if (entry !== undefined && now >= entry.at && now - entry.at < intervalSeconds) {
        entry.suppressed += 1;
        return undefined;
      }
      seen.delete(client);
      if (seen.size >= maxClients) {
        const oldest = seen.keys().next();
        if (oldest.done !== true) seen.delete(oldest.value);
      }
      seen.set(client, { at: now, suppressed: 0 });
      return entry?.suppressed ?? 0;
    },
    get size() {
      return seen.size;
    },
  };
}
