/**
 * acme-dns's input rules, exactly (joohoi/acme-dns validation.go, acmetxt.go): what a key,
 * a subdomain, a TXT value and an `allowfrom` entry may look like.
 */
import { parseCidr } from './cidr';

const KEY = /^[A-Za-z0-9_-]{40}$/;
const SUBDOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TXT = /^[A-Za-z0-9_-]{43}$/;

/** An `X-Api-Key`: exactly 40 characters of the password alphabet `[A-Za-z0-9_-]`. */
export function isValidKey(key: string): boolean {
  return KEY.test(key);
}

/** A subdomain: one DNS label (RFC 1035 §2.3.1 letters, digits, hyphens; 1-63 characters). */
export function isValidSubdomain(subdomain: string): boolean {
  return SUBDOMAIN.test(subdomain);
}

/**
 * A TXT value: exactly 43 base64url characters, the unpadded SHA-256 digest of a key
 * authorisation (RFC 8555 §8.4). acme-dns accepts nothing else, so clients never send more.
 */
export function isValidTxt(txt: string): boolean {
  return TXT.test(txt);
}

/** Removes every `[` and `]`, as acme-dns's sanitizeIPv6addr does before net.ParseCIDR. */
export function sanitizeAllowFrom(entry: string): string {
  return entry.replace(/[[\]]+/g, '');
}

/** An `allowfrom` entry is valid when, brackets removed, it parses as Go's net.ParseCIDR. */
export function isValidAllowFrom(entry: string): boolean {
  return parseCidr(sanitizeAllowFrom(entry)) !== undefined;
}

/**
 * Most entries one account's allowfrom may hold. acme-dns set no limit, but its clients send a
 * handful (cert-manager's docs one pod range, acme-dns-client one `--allow` per address), and each
 * entry is checked on every /update, so a list of thousands only costs the server. Applies alike
 * to /register, `acmedns accounts set-allowfrom` and `acmedns import`.
 */
export const MAX_ALLOWFROM = 100;

// TextEncoder, not Buffer: core has no Node imports, and the page's bundle (src/web) uses this file.
const UTF8 = new TextEncoder();

/** Longest TXT value an RFC 2136 UPDATE may store, in UTF-8 octets (see isStorableTxt). */
export const MAX_UPDATE_TXT_OCTETS = 4096;

/**
 * A TXT value an RFC 2136 client may store (issue 10): any text, not only a DNS-01 token (clients
 * of the standard write what they like, e.g. SPF or verification strings), but not empty (an empty
 * value is acme-dns's "no value", never served), without NUL (values are stored as text, which
 * PostgreSQL cannot hold with a NUL), and at most MAX_UPDATE_TXT_OCTETS (100 times an ACME
 * value; answers carry every live value, so one client cannot make them huge).
 */
export function isStorableTxt(txt: string): boolean {
  return txt !== '' && !txt.includes('\0') && UTF8.encode(txt).length <= MAX_UPDATE_TXT_OCTETS;
}
