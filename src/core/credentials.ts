/**
 * Account credentials as acme-dns makes them (acmetxt.go newACMETxt, util.go generatePassword):
 * a random v4 UUID username, an independent random v4 UUID subdomain, a 40-character password
 * from the system CSPRNG, stored as a bcrypt cost-10 hash.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';

/** The password alphabet, in acme-dns's order (64 symbols, so each character carries 6 bits). */
export const PASSWORD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz1234567890-_';

/** Password length: 40 characters, 240 bits. */
export const PASSWORD_LENGTH = 40;

/** bcrypt cost acme-dns uses; its hashes must keep verifying after an import. */
export const BCRYPT_COST = 10;

/**
 * A fixed, valid cost-10 hash compared against when the user does not exist, so that an unknown
 * user costs one bcrypt comparison like a wrong key does (acme-dns auth.go does the same).
 */
export const DUMMY_HASH = '$2a$10$8JEFVNYYhLoBysjAxe2yBuXrkDojBQBkVpXEQgyQyjn43SvJ4vL36';

/** The plain credentials of a new account (the password leaves the server once, in the 201). */
export interface NewCredentials {
  readonly username: string;
  readonly password: string;
  readonly subdomain: string;
}

/** A new random password: 40 symbols, uniform over the 64-symbol alphabet. */
export function generatePassword(): string {
  // 256 is a multiple of 64, so masking a random byte to 6 bits has no modulo bias.
  const bytes = randomBytes(PASSWORD_LENGTH);
  let out = '';
  for (const b of bytes) out += PASSWORD_ALPHABET[b & 63];
  return out;
}

/** Username and subdomain are two independent v4 UUIDs (lower case); neither derives from the other. */
export function generateCredentials(): NewCredentials {
  return { username: randomUUID(), password: generatePassword(), subdomain: randomUUID() };
}

/** bcrypt hash (`$2a$`, as acme-dns writes) on the libuv thread pool, off the event loop. */
export async function hashPassword(password: string): Promise<string> {
  const salt = await bcrypt.genSalt(BCRYPT_COST, 'a');
  return bcrypt.hash(password, salt);
}

/** True when the password matches the hash; a malformed hash is a mismatch, never a throw. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false;
  }
}

/** Burns the same work as verifyPassword for a user that does not exist; always false. */
export async function dummyVerify(password: string): Promise<false> {
  await verifyPassword(password, DUMMY_HASH);
  return false;
}
