import {
  DUMMY_HASH,
  PASSWORD_ALPHABET,
  PASSWORD_LENGTH,
  dummyVerify,
  generateCredentials,
  generatePassword,
  hashPassword,
  verifyPassword,
} from './credentials';
import { isValidKey } from './validation';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('credentials', () => {
  test('the alphabet is acme-dns’s 64 symbols, each once', () => {
    expect(PASSWORD_ALPHABET).toHaveLength(64);
    expect(new Set(PASSWORD_ALPHABET).size).toBe(64);
    expect(PASSWORD_ALPHABET).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz1234567890-_');
  });

  test('passwords: 40 characters of the alphabet, valid keys, all different', () => {
    const seen = new Set<string>();
    const used = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const p = generatePassword();
      expect(p).toHaveLength(PASSWORD_LENGTH);
      expect(isValidKey(p)).toBe(true);
      for (const c of p) used.add(c);
      seen.add(p);
    }
    expect(seen.size).toBe(500);
    // 20,000 draws over 64 symbols: every symbol shows up unless the generator is broken.
    expect(used.size).toBe(64);
  });

  test('username and subdomain are independent lower-case v4 UUIDs', () => {
    const names = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const c = generateCredentials();
      expect(c.username).toMatch(UUID_V4);
      expect(c.subdomain).toMatch(UUID_V4);
      expect(c.username).not.toBe(c.subdomain);
      names.add(c.username);
      names.add(c.subdomain);
    }
    expect(names.size).toBe(200);
  });

  test('a hash is $2a$ cost 10 and verifies only its own password', async () => {
    const p = generatePassword();
    const hash = await hashPassword(p);
    expect(hash).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(await verifyPassword(p, hash)).toBe(true);
    expect(await verifyPassword(generatePassword(), hash)).toBe(false);
  });

  test.each<[string, string, boolean]>([
    // acme-dns TestCorrectPassword
    ['PUrNTjU24JYNEOCeS2JcjaJGv1sinT80oV9--dpX', '$2a$10$ldVoGU5yrdlbPzuPUbUfleVovGjaRelP9tql0IltVUJk778gf.2tu', true],
    ['PUrNTjU24JYNEOCeS2JcjaJGv1sinT80oV9--dpX', '$2a$10$ldVoGU5yrdlbPzuPUbUfleVovGjaRelP9tql0IltVUJk778gf.2t', false],
    ['PUrNTjU24JYNEOCeS2JcjaJGv1sinT80oV9--dp', '$2a$10$ldVoGU5yrdlbPzuPUbUfleVovGjaRelP9tql0IltVUJk778gf.2tu', false],
    ['', '', false],
    ['x', 'not a hash', false],
  ])('verifyPassword(%j, %j) -> %s', async (pw, hash, ok) => {
    expect(await verifyPassword(pw, hash)).toBe(ok);
  });

  test('the dummy hash is a real cost-10 bcrypt hash, and the dummy compare always says no', async () => {
    expect(DUMMY_HASH).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    // A well-formed hash makes bcrypt do the full work (a malformed one returns at once).
    expect(await verifyPassword('x'.repeat(40), DUMMY_HASH)).toBe(false);
    expect(await dummyVerify('x'.repeat(40))).toBe(false);
  });
});
