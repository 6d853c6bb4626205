/**
 * `X-Api-User` parsing with the forms Go's github.com/google/uuid `Parse` accepts, because
 * acme-dns looks the user up by `uuid.Parse(header).String()` and clients may rely on it.
 */

const HEX_PAIR_OFFSETS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34] as const;
const DASH_OFFSETS = [8, 13, 18, 23] as const;

/**
 * Parses a UUID written as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, `urn:uuid:<that>` (prefix in
 * any case), `{<that>}` or 32 bare hex digits; returns the canonical lower-case form, or
 * undefined. Hex digits may be of either case. Unlike google/uuid (which skips the first and
 * last character of a 38-character input without looking at them) the braces must be braces.
 */
export function parseUuid(input: string): string | undefined {
  let s = input;
  switch (s.length) {
    case 36:
      break;
    case 45:
      if (s.slice(0, 9).toLowerCase() !== 'urn:uuid:') return undefined;
      s = s.slice(9);
      break;
    case 38:
      if (s[0] !== '{' || s[37] !== '}') return undefined;
      s = s.slice(1, 37);
      break;
    case 32:
      return /^[0-9A-Fa-f]{32}$/.test(s) ? canonical(s.toLowerCase()) : undefined;
    default:
      return undefined;
  }
  if (DASH_OFFSETS.some((i) => s[i] !== '-')) return undefined;
  let hex = '';
  for (const i of HEX_PAIR_OFFSETS) {
    const pair = s.slice(i, i + 2);
    if (!/^[0-9A-Fa-f]{2}$/.test(pair)) return undefined;
    hex += pair;
  }
  return canonical(hex.toLowerCase());
}

/** 32 lower-case hex digits -> the 8-4-4-4-12 form. */
function canonical(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
