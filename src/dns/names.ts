/**
 * Domain name helpers. Wire labels are kept as latin1 strings (one character per byte) so no
 * byte is lost; presentation form escapes `.`, `\` and non-printable bytes (RFC 1035 §5.1) so a
 * label that contains a dot can never be mistaken for two labels.
 */

/** A-Z to a-z only: DNS names compare case-insensitively in ASCII alone (RFC 4343 §3). */
export function asciiLower(text: string): string {
  // Fast path: on pure ASCII toLowerCase touches A-Z only (presentation names always are).
  return /[^\x00-\x7f]/.test(text) ? text.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : text.toLowerCase();
}

/** Any octet presentLabel escapes: `.`, `\\`, and everything outside 0x21-0x7e. */
const NEEDS_ESCAPE = /[^\x21-\x2d\x2f-\x5b\x5d-\x7e]/;

/** One wire label in presentation form (RFC 1035 §5.1 escapes). */
export function presentLabel(raw: string): string {
  // Nearly every label needs no escape and is its own presentation form: returned as it is, not
  // rebuilt a character at a time (one string per character: a quarter of a TXT query's garbage).
  if (!NEEDS_ESCAPE.test(raw)) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x2e || c === 0x5c) out += '\\' + raw[i];
    else if (c < 0x21 || c > 0x7e) out += '\\' + String(c).padStart(3, '0');
    else out += raw[i];
  }
  return out;
}

/** Wire labels to a presentation name without the final dot (`''` is the root). */
export function presentName(labels: readonly string[]): string {
  return labels.map(presentLabel).join('.');
}

/**
 * A presentation name (RFC 1035 §5.1 escapes, as presentName writes them) back to its wire labels:
 * presentName's inverse, so an owner spelled from an odd question (a dot or a space in a label)
 * goes back on the wire, and to the signer, as the bytes that were asked.
 */
export function parseName(name: string): string[] {
  if (!name.includes('\\')) return splitName(name);
  const labels: string[] = [];
  let label = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i] as string;
    if (c === '.') {
      labels.push(label);
      label = '';
    } else if (c !== '\\') label += c;
    else if (/^[0-9]{3}$/.test(name.slice(i + 1, i + 4))) {
      label += String.fromCharCode(Number(name.slice(i + 1, i + 4)) & 0xff);
      i += 3;
    } else label += name[++i] ?? '';
  }
  labels.push(label);
  return labels;
}

/** The lower-case presentation labels used as lookup keys. */
export function keyLabels(labels: readonly string[]): string[] {
  return labels.map((l) => asciiLower(presentLabel(l)));
}

/** Labels of a name without escapes (config names are checked to have none). */
export function splitName(name: string): string[] {
  return name === '' ? [] : name.split('.');
}

/**
 * How many labels `labels` has below `apex`, or -1 when it is not at or below it.
 * Compares label by label, never by string suffix (an escaped dot would fool a suffix test).
 */
export function depthBelow(labels: readonly string[], apex: readonly string[]): number {
  const extra = labels.length - apex.length;
  if (extra < 0) return -1;
  for (let i = 0; i < apex.length; i++) {
    if (labels[extra + i] !== apex[i]) return -1;
  }
  return extra;
}

/** Characters allowed in the labels of configured names (host names, `_service`, `*`). */
const CONFIG_LABEL = /^[a-z0-9_*/-]{1,63}$/;

/**
 * Parses a configured name: lower-cases it, strips one final dot (names are absolute either way,
 * as acme-dns reads them with origin `.`) and checks every label. Returns an error text or the name.
 */
export function parseConfigName(text: string): { name: string } | { error: string } {
  const lower = asciiLower(text);
  const bare = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  if (bare === '') return { error: `"${text}" is the root, not a name in a zone` };
  let wire = 1;
  for (const label of bare.split('.')) {
    if (!CONFIG_LABEL.test(label)) {
      return {
        error:
          label === ''
            ? `"${text}" has an empty label`
            : `"${text}": label "${label}" must be 1-63 of a-z 0-9 - _ * /`,
      };
    }
    wire += label.length + 1;
  }
  // RFC 1035 §3.1: at most 255 octets on the wire.
  if (wire > 255) return { error: `"${text}" is longer than 255 octets` };
  return { name: bare };
}
