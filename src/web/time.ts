/** Durations and ages in words, for values' ages, waits after a 429 and certificate dates. */

const UNITS: readonly (readonly [number, string])[] = [
  [86400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** 0 -> "0 seconds", 61 -> "1 minute", 7200 -> "2 hours": the largest whole unit, rounded down. */
export function durationInWords(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  for (const [size, name] of UNITS) {
    if (s >= size) {
      const n = Math.floor(s / size);
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return '0 seconds';
}

/** A wait after a 429, rounded up to whole seconds so "try again in" is never too early. */
export function waitInWords(seconds: number): string {
  const s = Math.ceil(seconds);
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (s < 120) return plural(s, 'second');
  if (s < 7200) return plural(Math.ceil(s / 60), 'minute');
  return plural(Math.ceil(s / 3600), 'hour');
}

/** How long ago `iso` was, from `now` (ms): "12 seconds ago"; a time in the future (clock skew) is "just now". */
export function ageInWords(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'at an unknown time';
  const seconds = (now - then) / 1000;
  return seconds < 1 ? 'just now' : `${durationInWords(seconds)} ago`;
}

/** An ISO time shown to a person: "2026-12-05 00:49 UTC" (UTC, so every reader sees the same). */
export function timeInWords(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return `${t.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
