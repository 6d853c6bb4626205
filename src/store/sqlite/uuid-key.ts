/**
 * Account keys as 16 bytes: acme-dns and we give every account a random UUID as its subdomain, so
 * the in-memory account index (account-index.ts) stores almost every key as four 32-bit words
 * instead of a 36-character string (~80 bytes as a V8 string plus a Map entry). Only the lower-case
 * canonical form (8-4-4-4-12 hex digits) is parsed: it maps one-to-one to the bytes, so a key read
 * back from the words is the key that was stored, and any other spelling is kept as a string.
 */

/** The words of the last key parsed (parseUuidKey), reused so a lookup allocates nothing. */
export const uuidWords = new Uint32Array(4);

/** Characters in the canonical form. */
const UUID_LENGTH = 36;

/** A key's characters as octets for parseUuidOctets (one buffer, reused: a lookup allocates nothing). */
const keyOctets = new Uint8Array(UUID_LENGTH);

/** Parses a lower-case canonical UUID into uuidWords; false (uuidWords undefined) for any other key. */
export function parseUuidKey(key: string): boolean {
  if (key.length !== UUID_LENGTH) return false;
  for (let i = 0; i < UUID_LENGTH; i++) {
    const c = key.charCodeAt(i);
    // Lower case only (an upper-case key is another key, kept as a string), and octets only:
    // a wider character must not pass as the octet it would be truncated to.
    if ((c >= 0x41 && c <= 0x5a) || c > 0xff) return false;
    keyOctets[i] = c;
  }
  return parseUuidOctets(keyOctets, 0);
}

/** Each octet's value as a hex digit of either case, -1 for anything else: labels in queries come in 0x20 spelling. */
const HEX_OCTET = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX_OCTET[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_OCTET[0x41 + i] = 10 + i;
  HEX_OCTET[0x61 + i] = 10 + i;
}

/**
 * Parses the 36 octets of `bytes` from `k` (the caller knows there are that many) into uuidWords,
 * hex digits of either case: a query's label read where it arrived, without a string
 * (udp-replay.ts), whose upper-case spelling is the lower-case key (DESIGN rule 3); parseUuidKey's
 * characters. False (uuidWords undefined) when they are no UUID.
 */
export function parseUuidOctets(bytes: Uint8Array, k: number): boolean {
  if (bytes[k + 8] !== 0x2d || bytes[k + 13] !== 0x2d || bytes[k + 18] !== 0x2d || bytes[k + 23] !== 0x2d) return false;
  // A bad digit is -1: or-ing every digit into `bad` makes it negative.
  let bad = 0;
  let w = 0;
  for (let i = k; i < k + 8; i++) {
    const d = HEX_OCTET[bytes[i] as number] as number;
    bad |= d;
    w = (w << 4) | d;
  }
  uuidWords[0] = w;
  w = 0;
  for (let i = k + 9; i < k + 18; i++) {
    if (i === k + 13) continue;
    const d = HEX_OCTET[bytes[i] as number] as number;
    bad |= d;
    w = (w << 4) | d;
  }
  uuidWords[1] = w;
  w = 0;
  for (let i = k + 19; i < k + 28; i++) {
    if (i === k + 23) continue;
    const d = HEX_OCTET[bytes[i] as number] as number;
    bad |= d;
    w = (w << 4) | d;
  }
  uuidWords[2] = w;
  w = 0;
  for (let i = k + 28; i < k + 36; i++) {
    const d = HEX_OCTET[bytes[i] as number] as number;
    bad |= d;
    w = (w << 4) | d;
  }
  uuidWords[3] = w;
  return bad >= 0;
}

/** A 32-bit hash of the four words (murmur3's fmix32 between them: UUIDs are random, test keys are not). */
export function hashWords(w0: number, w1: number, w2: number, w3: number): number {
  let h = fmix(w0 ^ 0x9747b28c);
  h = fmix(h ^ w1);
  h = fmix(h ^ w2);
  return fmix(h ^ w3);
}

function fmix(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
