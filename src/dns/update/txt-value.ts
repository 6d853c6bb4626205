/**
 * A TXT record's <character-string>s as one stored value. Values are stored as text and served
 * split into 255-octet strings (answer.ts), so an UPDATE may carry only what an answer would
 * carry back: the canonical split of valid UTF-8. Anything else could not be served as written
 * (a different split, bytes that are no text), so it is refused rather than silently changed.
 */

/** The longest <character-string> (RFC 1035 §3.3). */
const MAX_STRING = 255;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The value the strings stand for, or undefined when they are not how we would serve it. */
export function txtValue(strings: readonly Buffer[]): string | undefined {
  if (strings.length === 0) return undefined;
  // Every string but the last holds exactly 255 octets; the last one 1-255 (an empty last string
  // only stands for the empty value, which we do not store: it means "no value" in acme-dns).
  for (const [i, s] of strings.entries()) {
    const last = i === strings.length - 1;
    if (last ? s.length === 0 : s.length !== MAX_STRING) return undefined;
  }
  try {
    return utf8.decode(Buffer.concat(strings));
  } catch {
    return undefined;
  }
}
