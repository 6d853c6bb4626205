/**
 * Which 429s get their own log line. A flood of refused requests from one address would
 * otherwise write a line per request: thousands a second, most of the server's work while the
 * flood lasts (measured: two thirds of the CPU per refused request) and a flooded log. Per
 * client address the first refusal in each interval is logged, with how many were left unlogged
 * since the last line, so fail2ban still sees the address every interval. The mechanism is the
 * log's keyed line limiter (log/limited-line.ts), keyed by client address.
 */
import { createLineLimiter, MAX_LIMITED_KEYS, type LineLimiter } from '../../log';

/** Decides, per refusal, whether to log it and how many went unlogged before it. */
export type RefusalLog = LineLimiter;

/** Addresses remembered; the least recently refused is forgotten first (it is then logged again). */
export const MAX_REFUSING_CLIENTS = MAX_LIMITED_KEYS;

/** One line per client per `intervalSeconds`; `clock` is in seconds and monotonic. */
export function createRefusalLog(
  intervalSeconds: number,
  clock: () => number = (): number => performance.now() / 1000,
  maxClients = MAX_REFUSING_CLIENTS,
): RefusalLog {
  return createLineLimiter(intervalSeconds, clock, maxClients);
}
