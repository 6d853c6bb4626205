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

const ranges = (n: number): string[] => Array.from({ length: n }, (_, i) => `${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`);

describe('parseAllowFrom: as acme-dns json.Unmarshal-s it into []string', () => {
  it.each<[string, unknown, readonly string[], false | 'unreadable' | 'too-many', readonly string[]]>([
    ['empty list', '[]', [], false, []],
    ['JSON null: no restriction', 'null', [], false, []],
    ['brackets stripped', '["[::1]/128","10.0.0.0/8"]', ['::1/128', '10.0.0.0/8'], false, []],
    ['invalid entries dropped: acme-dns ignored them', '["nonsense","10.0.0.0/8"]', ['10.0.0.0/8'], false, ['nonsense']],
    ['only invalid entries: no restriction, as in acme-dns', '["nonsense"]', [], false, ['nonsense']],
    ['a BLOB', Buffer.from('["1.2.3.4/32"]'), ['1.2.3.4/32'], false, []],
    ['exactly the cap', JSON.stringify(ranges(100)), ranges(100), false, []],
    ['one range over the cap: locked', JSON.stringify(ranges(101)), LOCKED_ALLOWFROM, 'too-many', []],
    ['SQL NULL: acme-dns refused the account', null, LOCKED_ALLOWFROM, 'unreadable', []],
    ['not JSON', 'garbage', LOCKED_ALLOWFROM, 'unreadable', []],
    ['empty text', '', LOCKED_ALLOWFROM, 'unreadable', []],
    ['an object', '{"a":1}', LOCKED_ALLOWFROM, 'unreadable', []],
    ['a list with a number', '[1]', LOCKED_ALLOWFROM, 'unreadable', []],
    ['a string', '"10.0.0.0/8"', LOCKED_ALLOWFROM, 'unreadable', []],
  ])('%s', (_name, input, list, locked, dropped) => {
    expect(parseAllowFrom(input)).toMatchObject({ list, locked, dropped });
  });

  it('200,000 ranges: locked, none kept', () => {
    const r = parseAllowFrom(JSON.stringify(ranges(200_000)));
    expect(r).toEqual({ list: LOCKED_ALLOWFROM, locked: 'too-many', valid: 200_000, dropped: [] });
  });
});

describe('LastUpdate', () => {
  it.each<[string, unknown, number, string | undefined]>([
    ['a past time', NOW - 60, NOW - 60, undefined],
    ['NULL: never updated', null, 0, undefined],
    ['a fraction is cut', NOW - 0.5, NOW - 1, undefined],
    ['1e300: in the future, clamped to the import', 1e300, NOW, 'bad-time'],
    ['one second ahead: clamped', NOW + 1, NOW, 'bad-time'],
    ['NaN: never updated', NaN, 0, 'bad-time'],
    ['Infinity (a REAL in SQLite)', Infinity, 0, 'bad-time'],
    ['negative', -5, 0, 'bad-time'],
    ['text that is no number', 'yesterday', 0, 'bad-time'],
    ['a number as text', String(NOW - 60), NOW - 60, undefined],
    ['a bigint', BigInt(NOW - 60), NOW - 60, undefined],
  ])('%s', (_name, lastupdate, updatedAt, kind) => {
    const c = convertAccount(account({ txt: [{ value: V1, lastupdate }] }), ctx);
    expect(c.entry?.values).toEqual([{ value: V1, updatedAt }]);
    expect(c.issues.map((i) => i.kind)).toEqual(kind === undefined ? [] : [kind]);
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

  it('locks an account with more ranges than the cap, and reports it', () => {
    const c = convertAccount(account({ allowfrom: JSON.stringify(ranges(200_000)) }), ctx);
    expect(c.entry?.account.allowFrom).toEqual(LOCKED_ALLOWFROM);
    expect(c.issues).toEqual([
      { kind: 'too-many-allowfrom', username: USER, detail: 'allowfrom holds 200000 ranges, more than 100: imported locked (allowfrom ["0.0.0.0/32","::/128"])' },
    ]);
  });

  it('drops invalid allowfrom entries, quoting a few of them escaped and cut', () => {
    const c = convertAccount(account({ allowfrom: JSON.stringify(['\x1b[31mred', 'x'.repeat(5000), 'a', 'b', '10.0.0.0/8']) }), ctx);
    expect(c.entry?.account.allowFrom).toEqual(['10.0.0.0/8']);
    expect(c.issues.map((i) => i.detail)).toEqual([
      `4 allowfrom entries are not a CIDR ("\\x1b[31mred", "${'x'.repeat(40)}…(4960 more)", "a" and 1 more): dropped, as acme-dns ignored them`,
    ]);
  });

  it('quotes a hostile subdomain escaped and cut', () => {
    const c = convertAccount(account({ subdomain: `\x1b]0;pwned\x07${'s'.repeat(5000)}` }), ctx);
    expect(c.issues[0]?.detail).toBe(
      `subdomain "\\x1b]0;pwned\\x07${'s'.repeat(70)}…(4930 more)" is not a DNS label: acme-dns refused every update (bad_subdomain)`,
    );
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
