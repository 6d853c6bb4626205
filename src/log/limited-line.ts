/**
 * Log lines written at most once per interval, for lines that can repeat at the rate of incoming
 * traffic (a store outage under a query flood, refusals of a flooding address). The lines held
 * back are counted and the next line written carries the count, so a flood costs one line per
 * interval (per key) and hides nothing.
 */

/** Decides, per occurrence of a keyed line, whether to write it and how many went unwritten before it. */
export interface LineLimiter {
  /** undefined: hold this one back; else the number held back for `key` since its last line. */
  admit(key: string): number | undefined;
  /** Keys remembered now (bounded). */
  readonly size: number;
}

/** Keys remembered by default; the least recently seen is forgotten first (its next line is written). */
export const MAX_LIMITED_KEYS = 10_000;

/**
 * One line per key per `interval`, in the unit of `clock`. The interval runs from the last line
 * written; a clock that steps back writes rather than staying silent.
 */
export function createLineLimiter(interval: number, clock: () => number, maxKeys = MAX_LIMITED_KEYS): LineLimiter {
  const seen = new Map<string, { at: number; suppressed: number }>();
  return {
    admit(key) {
      const now = clock();
      const entry = seen.get(key);
      if (entry !== undefined && now >= entry.at && now - entry.at < interval) {
        entry.suppressed += 1;
        return undefined;
      }
      seen.delete(key);
      if (seen.size >= maxKeys) {
        const oldest = seen.keys().next();
        if (oldest.done !== true) seen.delete(oldest.value);
      }
      seen.set(key, { at: now, suppressed: 0 });
      return entry?.suppressed ?? 0;
    },
    get size() {
      return seen.size;
    },
  };
}

/** Writes the line now, or counts it; `write` gets how many were held back since the last one. */
export type LimitedLine = (write: (suppressed: number) => void) => void;

/** A single line that passes at most once per `intervalMs` (milliseconds by `now`, default Date.now). */
export function limitedLine(intervalMs: number, now: () => number = Date.now): LimitedLine {
  const limiter = createLineLimiter(intervalMs, now, 1);
  return (write) => {
    const held = limiter.admit('');
    if (held !== undefined) write(held);
  };
}
