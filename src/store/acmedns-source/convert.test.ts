import { convertAccount, LOCKED_ALLOWFROM, parseAllowFrom, passwordHash, resolveCaseCollisions } from './convert';
import type { SourceAccount } from './types';

const HASH = '$2a$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234';
const USER = 'c36f50e8-4632-44f0-83fe-e070fef28a10';
const SUB = '8e5700ea-a4bf-4fe4-9f5c-5bb01d4e53a7';
const V1 = 'a'.repeat(43);
const V2 = 'b'.repeat(43);
const NOW = 1_800_000_000;
const ctx = { nowSeconds: NOW, maxAgeSeconds: 7 * 86400, caseLosers: new Map<string, string>() };

function account(over: Partial<SourceAccount> = {}): SourceAccount {
  return { username: USER, password: Buffer.from(HASH), subdomain: SUB, allowfrom: '[]', txt: [], ...over };
}

describe('parseAllowFrom: as acme-dns json.Unmarshal-s it into []string', () => {
  it.each<[string, unknown, readonly string[], boolean]>([
    ['empty list', '[]', [], false],
    ['JSON null: no restriction', 'null', [], false],
    ['brackets stripped', '["[::1]/128","10.0.0.0/8"]', ['::1/128', '10.0.0.0/8'], false],
    ['invalid entries kept: ignored at auth as acme-dns does', '["nonsense"]', ['nonsense'], false],
    ['a BLOB', Buffer.from('["1.2.3.4/32"]'), ['1.2.3.4/32'], false],
    ['SQL NULL: acme-dns refused the account', null, LOCKED_ALLOWFROM, true],
    ['not JSON', 'garbage', LOCKED_ALLOWFROM, true],
    ['empty text', '', LOCKED_ALLOWFROM, true],
    ['an object', '{"a":1}', LOCKED_ALLOWFROM, true],
    ['a list with a number', '[1]', LOCKED_ALLOWFROM, true],
    ['a string', '"10.0.0.0/8"', LOCKED_ALLOWFROM, true],
  ])('%s', (_name, input, list, locked) => {
    expect(parseAllowFrom(input)).toEqual({ list, locked });
  });
});

describe('passwordHash', () => {
  it.each<[string, unknown, string]>([
    ['text', HASH, HASH],
    ['a BLOB (Go []byte in SQLite)', Buffer.from(HASH), HASH],
    ['a bytea literal of a hash', `\\x${Buffer.from(HASH).toString('hex')}`, HASH],
    ['a bytea literal of something else stays as it is', '\\x414243', '\\x414243'],
  ])('%s', (_name, input, expected) => {
    expect(passwordHash(input)).toBe(expected);
  });
});

describe('convertAccount', () => {
  it('takes the account over with its non-empty values and their times', () => {
    const c = convertAccount(
      account({ allowfrom: '["[::1]/128"]', txt: [{ value: '', lastupdate: 0 }, { value: V1, lastupdate: NOW - 60 }] }),
      ctx,
    );
    expect(c.entry).toEqual({
      account: { username: USER, passwordHash: HASH, subdomain: SUB, allowFrom: ['::1/128'] },
      values: [{ value: V1, updatedAt: NOW - 60 }],
    });
    expect(c.issues).toEqual([]);
    expect(c.values).toEqual({ rows: 1, imported: 1, empty: 1, stale: 0, invalid: 0 });
  });

  it('canonicalises the username and keeps the subdomain as written', () => {
    const c = convertAccount(account({ username: USER.toUpperCase(), subdomain: 'MyName' }), ctx);
    expect(c.entry?.account).toMatchObject({ username: USER, subdomain: 'MyName' });
  });

  it('counts a value twice in the rows once, with its newest time', () => {
    const c = convertAccount(account({ txt: [{ value: V1, lastupdate: NOW - 100 }, { value: V1, lastupdate: NOW - 10 }] }), ctx);
    expect(c.entry?.values).toEqual([{ value: V1, updatedAt: NOW - 10 }]);
    expect(c.values).toMatchObject({ rows: 2, imported: 1 });
  });

  it('imports values older than max_age and counts them', () => {
    const c = convertAccount(account({ txt: [{ value: V1, lastupdate: NOW - 8 * 86400 }, { value: V2, lastupdate: null }] }), ctx);
    expect(c.entry?.values).toEqual([{ value: V1, updatedAt: NOW - 8 * 86400 }, { value: V2, updatedAt: 0 }]);
    expect(c.values).toMatchObject({ imported: 2, stale: 2 });
    expect(convertAccount(account({ txt: [{ value: V1, lastupdate: 0 }] }), { ...ctx, maxAgeSeconds: 0 }).values.stale).toBe(0);
  });

  it('skips values acme-dns would never have stored, and says so', () => {
    const c = convertAccount(account({ txt: [{ value: 'short', lastupdate: NOW }, { value: V1, lastupdate: NOW }] }), ctx);
    expect(c.entry?.values).toEqual([{ value: V1, updatedAt: NOW }]);
    expect(c.values).toMatchObject({ rows: 2, imported: 1, invalid: 1 });
    expect(c.issues.map((i) => i.kind)).toEqual(['bad-value']);
  });

  it('keeps an account whose allowfrom acme-dns could not read, locked, and reports it', () => {
    const c = convertAccount(account({ allowfrom: 'not json' }), ctx);
    expect(c.entry?.account.allowFrom).toEqual(LOCKED_ALLOWFROM);
    expect(c.issues.map((i) => i.kind)).toEqual(['locked-allowfrom']);
  });

  it('keeps an account whose hash is not bcrypt, and reports it', () => {
    const c = convertAccount(account({ password: 'plain' }), ctx);
    expect(c.entry?.account.passwordHash).toBe('plain');
    expect(c.issues.map((i) => i.kind)).toEqual(['bad-hash']);
  });

  it.each<[string, Partial<SourceAccount>, string]>([
    ['a username that is no UUID', { username: 'admin' }, 'bad-username'],
    ['a subdomain that is no DNS label', { subdomain: 'a.b' }, 'bad-subdomain'],
    ['a subdomain with an underscore', { subdomain: 'x_y' }, 'bad-subdomain'],
  ])('skips %s, counting its values', (_name, over, kind) => {
    const c = convertAccount(account({ ...over, txt: [{ value: V1, lastupdate: NOW }] }), ctx);
    expect(c.entry).toBeUndefined();
    expect(c.issues.map((i) => i.kind)).toEqual([kind]);
    expect(c.values).toMatchObject({ rows: 1, imported: 0 });
  });

  it('skips the loser of a case collision', () => {
    const c = convertAccount(account(), { ...ctx, caseLosers: new Map([[USER, 'why']]) });
    expect(c.entry).toBeUndefined();
    expect(c.issues).toEqual([{ kind: 'case-collision', username: USER, detail: 'why' }]);
  });
});

describe('resolveCaseCollisions', () => {
  it.each<[string, { username: string; subdomain: string }[], string[]]>([
    ['the all-lower-case one wins', [{ username: 'a', subdomain: 'Name' }, { username: 'b', subdomain: 'name' }], ['a']],
    ['else the first by username', [{ username: 'b', subdomain: 'NAME' }, { username: 'a', subdomain: 'Name' }], ['b']],
    ['groups are separate', [
      { username: 'a', subdomain: 'X' }, { username: 'b', subdomain: 'x' },
      { username: 'c', subdomain: 'y' }, { username: 'd', subdomain: 'Y' },
    ], ['a', 'd']],
    ['nothing to resolve', [], []],
  ])('%s', (_name, collisions, losers) => {
    expect([...resolveCaseCollisions(collisions).keys()].sort()).toEqual(losers);
  });
});
