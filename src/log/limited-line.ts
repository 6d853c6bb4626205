/**
 * A log line written at most once per interval, for failures that can repeat at the rate of
 * incoming traffic (a store outage under a query flood). The lines held back are counted and the
 * next line written carries the count, so a flood costs one line per interval and hides nothing.
 */

/** Writes the line now, or counts it; `write` gets how many were held back since the last one. */
export type LimitedLine = (write: (suppressed: number) => void) => void;

/** A line that passes at most once per `intervalMs` (milliseconds by `now`, default Date.now). */
export function limitedLine(intervalMs: number, now: () => number = Date.now): LimitedLine {
  let last = -Infinity;
  let suppressed = 0;
  return (write) => {
    const t = now();
    if (t - last < intervalMs) {
      suppressed++;
      return;
    }
    last = t;
    const held = suppressed;
    suppressed = 0;
    write(held);
  };
}
