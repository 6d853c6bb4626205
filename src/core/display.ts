/**
 * Untrusted text (names from an imported database, allowfrom entries, command-line arguments) made
 * safe for a terminal: control characters could move the cursor, recolour or clear the screen, or
 * rewrite earlier lines (ECMA-48), and bidi overrides reorder what is shown (Unicode TR #9), so
 * each is written as an escape; very long text is cut so one name cannot flood the output.
 * Machine-readable output (JSON) is left whole: JSON.stringify escapes control characters itself.
 */

/** How many characters of one name a human-readable line shows by default (a DNS name is at most 253). */
export const DISPLAY_MAX = 80;

/**
 * C0 controls, DEL, C1 controls (U+0080-U+009F, CSI among them), line and paragraph separators,
 * the bidi embeddings, overrides and isolates, and the zero-width marks that hide text.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every unsafe character written as `\xNN` or `\uNNNN`; nothing else changes. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * The text escaped and, when longer than `max` characters (counted before escaping), cut to its
 * first `max` characters followed by `…(N more)`, so the reader knows it was cut and by how much.
 */
export function displayText(text: string, max = DISPLAY_MAX): string {
  if (text.length <= max) return escapeControls(text);
  // Do not cut a surrogate pair in half: that would print a lone surrogate.
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${escapeControls(text.slice(0, end))}…(${text.length - end} more)`;
}
