/**
 * Values written into each client's file format so that any text reads back as itself: the
 * account's values come from the server, but a setting that breaks on an odd character would
 * fail at renewal time, months later, far from here.
 */

/** Characters that never need quoting in a POSIX shell word (the set Python's shlex.quote uses). */
const SH_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A POSIX shell word: bare when safe, else single-quoted with `'` written as `'\''` (POSIX §2.2.2). */
export function shQuote(value: string): string {
  if (SH_SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * JSON with every character outside printable ASCII escaped as `\uXXXX`: still JSON (RFC 8259
 * §7), and also a valid YAML double-quoted scalar and safe inside any file encoding, since YAML
 * forbids raw C1 controls and DEL (YAML 1.2 §5.1) that JSON.stringify would leave as they are.
 */
export function asciiJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A YAML scalar for any text: a double-quoted, JSON-escaped string (YAML 1.2 §7.3.1). */
export function yamlString(value: string): string {
  return asciiJson(value, 0);
}

/**
 * A YAML literal block scalar (`|`, YAML 1.2 §8.1.2) holding `text`, indented under a key that
 * sits at `indent` spaces: every line keeps its own characters, so JSON pasted in stays JSON.
 */
export function yamlBlock(text: string, indent: number): string {
  const pad = ' '.repeat(indent + 2);
  const lines = text.replace(/\n$/, '').split('\n');
  return `|\n${lines.map((l) => (l === '' ? '' : `${pad}${l}`)).join('\n')}`;
}

/**
 * A PowerShell verbatim string: single quotes, each quote character doubled. PowerShell takes
 * the typographic single quotes U+2018-U+201B as quotes too (about_Quoting_Rules), so they are
 * doubled as well.
 */
export function psQuote(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}
