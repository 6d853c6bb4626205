/**
 * Request bodies decoded the way acme-dns's Go code decodes them, so every client that works
 * against acme-dns works here: keys match case-insensitively (encoding/json's field folding),
 * unknown keys are ignored, `null` leaves a field alone, and a value of the wrong type is an
 * error for /register (json.Unmarshal) but only skips that field for /update (json.Decoder,
 * whose error acme-dns logs and ignores).
 */
import { ApiError } from '../errors';
import { parseUuid } from '../../core/uuid';

/** What /register reads from its body. */
export interface RegisterBody {
  readonly allowFrom: readonly string[];
}

/** What /update reads from its body; a missing or mistyped field is the empty string. */
export interface UpdateBody {
  readonly subdomain: string;
  readonly txt: string;
}

/**
 * Folds a JSON key as encoding/json matches it to a field name: ASCII case-insensitively, plus
 * the four non-ASCII runes whose simple case folding reaches an ASCII letter (ſ, K, ı, İ).
 */
export function foldKey(key: string): string {
  return key
    .replace(/[A-Z]/g, (c) => c.toLowerCase())
    .replace(/\u017f/g, 's')
    .replace(/\u212a/g, 'k')
    .replace(/[\u0130\u0131]/g, 'i');
}

/** Bytes to text as Go sees them: invalid UTF-8 becomes U+FFFD, nothing is stripped. */
function text(raw: Buffer): string {
  return raw.toString('utf8');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * /register: an empty body means no allowfrom; otherwise the whole body must be one JSON value
 * whose known fields (username, password, subdomain, txt, allowfrom) have the types of acme-dns's
 * ACMETxt struct. Anything else is 400 malformed_json_payload.
 */
export function decodeRegisterBody(raw: Buffer): RegisterBody {
  if (raw.length === 0) return { allowFrom: [] };
  let value: unknown;
  try {
    value = JSON.parse(text(raw));
  } catch (err) {
    throw new ApiError('malformed_json_payload', err instanceof Error ? err.message : 'invalid JSON');
  }
  if (value === null) return { allowFrom: [] };
  if (!isObject(value)) throw new ApiError('malformed_json_payload', 'body is not a JSON object');
  let allowFrom: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const field = foldKey(key);
    if (v === null) {
      // null into a slice sets it to nil; into a string or UUID it is a no-op.
      if (field === 'allowfrom') allowFrom = [];
      continue;
    }
    switch (field) {
      case 'allowfrom':
        allowFrom = decodeStringArray(v);
        break;
      case 'username':
        if (typeof v !== 'string' || parseUuid(v) === undefined) {
          throw new ApiError('malformed_json_payload', 'username is not a UUID');
        }
        break;
      case 'password':
      case 'subdomain':
      case 'txt':
        if (typeof v !== 'string') throw new ApiError('malformed_json_payload', `${field} is not a string`);
        break;
      default:
        break;
    }
  }
  return { allowFrom };
}

/** A JSON array of strings (null elements become "", as Go leaves them at the zero value). */
function decodeStringArray(v: unknown): string[] {
  if (!Array.isArray(v)) throw new ApiError('malformed_json_payload', 'allowfrom is not an array');
  return v.map((e: unknown) => {
    if (e === null) return '';
    if (typeof e !== 'string') throw new ApiError('malformed_json_payload', 'allowfrom holds a non-string');
    return e;
  });
}

/**
 * /update: Go's json.Decoder reads only the first JSON value and ignores what follows it; a
 * syntax error decodes nothing (so the subdomain check fails: 401), a wrong type skips the field
 * (so `"txt": 123` leaves txt empty: 400 bad_txt), and a `username` that is not a UUID stops
 * the decode where it stands. Never throws.
 */
export function decodeUpdateBody(raw: Buffer): UpdateBody {
  const first = firstObject(text(raw));
  let subdomain = '';
  let txt = '';
  if (first === undefined) return { subdomain, txt };
  let value: unknown;
  try {
    value = JSON.parse(first);
  } catch {
    return { subdomain, txt };
  }
  if (!isObject(value)) return { subdomain, txt };
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') continue;
    const field = foldKey(key);
    if (field === 'subdomain') subdomain = v;
    else if (field === 'txt') txt = v;
    // uuid.UUID's UnmarshalText error aborts the decode: later fields stay unset.
    else if (field === 'username' && parseUuid(v) === undefined) break;
  }
  return { subdomain, txt };
}

/**
 * The text of the first JSON value when it is an object (only an object can set fields), found
 * by bracket depth outside strings; undefined when the input does not start with one or ends
 * inside it. JSON.parse then checks the syntax of that slice.
 */
export function firstObject(s: string): string | undefined {
  const start = s.search(/[^ \t\r\n]/);
  if (start < 0 || s[start] !== '{') return undefined;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return s.slice(start, i + 1);
    }
  }
  return undefined;
}
