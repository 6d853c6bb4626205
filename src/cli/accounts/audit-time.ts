/** The times `acmedns audit --since/--until` take: an ISO time, or a duration back from now. */

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `24h`, `30m`, `7d`, `1h30m`, `2w`: a sum of whole numbers with units s, m, h, d, w. */
const DURATION = /^(?:\d+[smhdw])+$/;

/** `2024-05-01`, `2024-05-01T12:00`, `2024-05-01 12:00:05.250`, with an optional `Z` or `±hh:mm`. */
const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?(Z|[+-]\d{2}:?\d{2})?$/i;

/** A duration's length in milliseconds, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhdw])/g)) total += Number(n) * (UNIT_MS[unit as string] ?? 0);
  return total;
}

/**
 * Unix milliseconds for an audit time argument: a duration counts back from `nowMs`; an ISO time
 * without an offset is UTC (the audit trail is kept in UTC, and servers rarely share the
 * operator's zone). Throws with a one-line message naming the option.
 */
export function parseTimeArg(option: string, text: string, nowMs: number): number {
  const trimmed = text.trim();
  const duration = parseDuration(trimmed);
  if (duration !== undefined) return nowMs - duration;
  const m = ISO.exec(trimmed);
  if (m !== null) {
    const [, date, time, zone] = m;
    const offset = zone === undefined ? 'Z' : zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    const ms = Date.parse(`${date}T${time ?? '00:00'}${time !== undefined && time.length === 5 ? ':00' : ''}${offset}`);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new Error(`${option}: not an ISO time (2024-05-01T12:00Z) nor a duration ago (24h, 7d): ${JSON.stringify(text)}`);
}
