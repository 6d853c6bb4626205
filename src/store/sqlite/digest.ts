/**
 * ACME DNS-01 values as their 32 bytes: every such value is the base64url of a SHA-256 digest
 * (RFC 8555 §8.4), 43 characters, and acme-dns's API accepts only 43 characters of that alphabet.
 * The in-memory account index keeps a value of that form as its bytes (value-arena.ts, and inline
 * in the UUID table: uuid-table.ts), and writes it into a reply as base64url again.
 */

/** Bytes of a digest. */
export const DIGEST_BYTES = 32;
/** Characters of a digest's base64url (RFC 4648 §5, no padding). */
export const DIGEST_TEXT = 43;
/** The canonical base64url of 32 bytes: the last character carries 2 bits, the other 4 zero. */
const DIGEST = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
/** The base64url alphabet as octets (RFC 4648 §5). */
const BASE64URL = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 'latin1');

/** Whether the value is the one base64url spelling of 32 bytes (the others are kept as text). */
export function isDigest(value: string): boolean {
  return value.length === DIGEST_TEXT && DIGEST.test(value);
}

/**
 * The base64url of the 32 bytes at `src[from]`, written as 43 octets at `out[at]`: what
 * `out.write(src.toString('base64url', from, from + 32), at)` writes, without the string between.
 */
export function encodeDigest(src: Uint8Array, from: number, out: Buffer, at: number): void {
  let o = at;
  // Ten groups of three bytes give four characters each; the last two bytes give three.
  for (let i = from; i < from + 30; i += 3) {
    const n = ((src[i] as number) << 16) | ((src[i + 1] as number) << 8) | (src[i + 2] as number);
    out[o] = BASE64URL[n >>> 18] as number;
    out[o + 1] = BASE64URL[(n >>> 12) & 63] as number;
    out[o + 2] = BASE64URL[(n >>> 6) & 63] as number;
    out[o + 3] = BASE64URL[n & 63] as number;
    o += 4;
  }
  const n = ((src[from + 30] as number) << 16) | ((src[from + 31] as number) << 8);
  out[o] = BASE64URL[n >>> 18] as number;
  out[o + 1] = BASE64URL[(n >>> 12) & 63] as number;
  out[o + 2] = BASE64URL[(n >>> 6) & 63] as number;
}
