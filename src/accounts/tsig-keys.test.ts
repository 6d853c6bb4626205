import {
  AccountGoneError,
  BadSubdomainError,
  BadTsigAlgorithmError,
  RateLimitedError,
  StoreConflictError,
  TsigKeyLimitError,
  TsigKeyNotFoundError,
} from '../core/errors';
import type { AuditContext, StoredTsigKey, TsigAlgorithm, TsigKeyPort } from '../store/types';
import { DEFAULT_TSIG_ALGORITHM, parseTsigAlgorithm, TSIG_ALGORITHM_NAMES } from './tsig-algorithms';
import { createTsigKeyActions, MAX_TSIG_KEYS_PER_ACCOUNT, newTsigKeyName, newTsigSecret, normaliseTsigKeyName, type TsigKeyOwner } from './tsig-keys';

const ZONE = 'auth.example.org';
const OWNER: TsigKeyOwner = { username: 'c36f50e8-4632-44f0-83fe-e070fef28a10', subdomain: '8E5700EA-a4bf-4fe4-9f5c-5bb01d4e53a7' };
const OTHER: TsigKeyOwner = { username: '00000000-0000-4000-8000-000000000002', subdomain: 'other' };
const AUDIT: AuditContext = { actor: 'cli' };

describe('key names, secrets, algorithms', () => {
  test.each<[string, string, string, string]>([
    ['a UUID subdomain, lower-cased', OWNER.subdomain, ZONE, `0a1b2c3d.8e5700ea-a4bf-4fe4-9f5c-5bb01d4e53a7.${ZONE}`],
    ['an imported one-label subdomain', 'Legacy-1', 'Zone.Example', '0a1b2c3d.legacy-1.zone.example'],
  ])('%s', (_name, subdomain, zone, expected) => {
    expect(newTsigKeyName(subdomain, zone, Buffer.from('0a1b2c3dff', 'hex'))).toBe(expected);
  });

  test.each<[string, string, string]>([
    ['a subdomain that is no label', 'a.b', ZONE],
    ['a subdomain with a control character', 'x\x1by', ZONE],
    ['a name longer than 253', 'x'.repeat(63), `${'y'.repeat(63)}.${'y'.repeat(63)}.${'y'.repeat(63)}`],
  ])('refuses %s', (_name, subdomain, zone) => {
    expect(() => newTsigKeyName(subdomain, zone, Buffer.alloc(4))).toThrow(BadSubdomainError);
  });

  test.each<[TsigAlgorithm, number]>([
    ['hmac-md5', 16],
    ['hmac-sha1', 20],
    ['hmac-sha224', 28],
    ['hmac-sha256', 32],
    ['hmac-sha384', 48],
    ['hmac-sha512', 64],
  ])('a %s secret is %i random bytes (RFC 8945 §6: at least the hash length)', (algorithm, bytes) => {
    const secret = newTsigSecret(algorithm);
    expect(secret.length).toBe(bytes);
    expect(newTsigSecret(algorithm).equals(secret)).toBe(false);
  });

  test.each<[string, TsigAlgorithm]>([
    ['hmac-sha256', 'hmac-sha256'],
    ['HMAC-SHA512.', 'hmac-sha512'],
    [' hmac-sha1 ', 'hmac-sha1'],
    ['hmac-md5.sig-alg.reg.int.', 'hmac-md5'],
    ['hmac-sha224', 'hmac-sha224'],
    ['hmac-sha384', 'hmac-sha384'],
  ])('algorithm %j -> %s', (text, algorithm) => {
    expect(parseTsigAlgorithm(text)).toBe(algorithm);
  });

  test.each(['', 'sha256', 'hmac-sha3', 'HMACSHA256', 'gss-tsig', 'x'.repeat(1000)])('algorithm %j is refused, naming the choices', (text) => {
    expect(() => parseTsigAlgorithm(text)).toThrow(BadTsigAlgorithmError);
    expect(() => parseTsigAlgorithm(text)).toThrow(/^unknown TSIG algorithm ".*": one of hmac-sha256, hmac-sha512, hmac-sha384, hmac-sha224, hmac-sha1, hmac-md5$/);
  });

  test('the default is hmac-sha256 and every algorithm is offered', () => {
    expect(DEFAULT_TSIG_ALGORITHM).toBe('hmac-sha256');
    expect([...TSIG_ALGORITHM_NAMES].sort()).toEqual(['hmac-md5', 'hmac-sha1', 'hmac-sha224', 'hmac-sha256', 'hmac-sha384', 'hmac-sha512']);
  });

  test.each<[string, string | undefined]>([
    ['0A1B2C3D.Sub.Auth.Example.Org.', '0a1b2c3d.sub.auth.example.org'],
    ['abc.example', 'abc.example'],
    ['', undefined],
    ['.', undefined],
    ['a..b', undefined],
    ['a b', undefined],
    ['x'.repeat(254), undefined],
  ])('key name %j -> %j', (text, expected) => {
    expect(normaliseTsigKeyName(text)).toBe(expected);
  });
});

/** An in-memory TsigKeyPort keyed by name, with the accounts it knows, recording its calls. */
function memoryKeys(accounts: readonly TsigKeyOwner[] = [OWNER, OTHER]) {
  const keys = new Map<string, StoredTsigKey>();
  const calls: string[] = [];
  const port: TsigKeyPort = {
    addTsigKey(username, key, now, audit) {
      calls.push(`add ${key.name} ${audit?.actor}`);
      const account = accounts.find((a) => a.username === username);
      if (account === undefined) return Promise.resolve(false);
      if (keys.has(key.name)) return Promise.reject(new StoreConflictError(`key ${key.name} exists`));
      keys.set(key.name, { ...key, username, subdomain: account.subdomain, createdAt: now });
      return Promise.resolve(true);
    },
    listTsigKeys: (username) => Promise.resolve([...keys.values()].filter((k) => k.username === username)),
    findTsigKey: (name) => Promise.resolve(keys.get(name)),
    removeTsigKey(name, username, audit) {
      calls.push(`remove ${name} ${username ?? '*'} ${audit?.actor}`);
      const key = keys.get(name);
      if (key === undefined || (username !== undefined && key.username !== username)) return Promise.resolve(false);
      keys.delete(name);
      return Promise.resolve(true);
    },
  };
  return { port, keys, calls };
}

/** Random bytes from a fixed sequence of fills: 0x01..., then 0x02..., and so on. */
function countingRandom(): (n: number) => Buffer {
  let fill = 0;
  return (n) => Buffer.alloc(n, ++fill);
}

describe('key actions', () => {
  const setup = (opts: { budget?: number; accounts?: readonly TsigKeyOwner[]; random?: (n: number) => Buffer } = {}) => {
    const mem = memoryKeys(opts.accounts);
    let budget = opts.budget ?? Infinity;
    const beforeWrite = (): void => {
      if (budget-- <= 0) throw new RateLimitedError(1, 'too many updates for this account');
    };
    const actions = createTsigKeyActions({ store: mem.port, domain: ZONE, now: () => 1234, beforeWrite, random: opts.random ?? countingRandom() });
    return { ...mem, actions };
  };

  test('add: a stored key whose base64 secret is the stored secret, for the account with its name', async () => {
    const { actions, keys, calls } = setup();
    const key = await actions.addTsigKey(OWNER, undefined, AUDIT);
    expect(key).toMatchObject({ algorithm: 'hmac-sha256', fqdn: `${OWNER.subdomain}.${ZONE}`, username: OWNER.username });
    expect(key.name).toMatch(/^[0-9a-f]{8}\.8e5700ea-a4bf-4fe4-9f5c-5bb01d4e53a7\.auth\.example\.org$/);
    const stored = keys.get(key.name);
    expect(stored).toMatchObject({ algorithm: 'hmac-sha256', username: OWNER.username, createdAt: 1234 });
    expect(stored?.secret.toString('base64')).toBe(key.secret);
    expect(Buffer.from(key.secret, 'base64').length).toBe(32);
    expect(calls).toEqual([`add ${key.name} cli`]);
    expect(await actions.listTsigKeys(OWNER.username)).toEqual([{ name: key.name, algorithm: 'hmac-sha256', createdAt: 1234 }]);
  });

  test('the list never carries a secret', async () => {
    const { actions } = setup();
    await actions.addTsigKey(OWNER, 'hmac-sha512', AUDIT);
    const listed = await actions.listTsigKeys(OWNER.username);
    expect(Object.keys(listed[0] ?? {}).sort()).toEqual(['algorithm', 'createdAt', 'name']);
  });

  test('a bad algorithm is refused before anything is stored or counted', async () => {
    const { actions, calls } = setup({ budget: 0 });
    await expect(actions.addTsigKey(OWNER, 'hmac-sha3', AUDIT)).rejects.toBeInstanceOf(BadTsigAlgorithmError);
    expect(calls).toEqual([]);
  });

  test(`the cap: ${MAX_TSIG_KEYS_PER_ACCOUNT} keys, then TsigKeyLimitError and nothing more stored; another account is not held back`, async () => {
    const { actions, keys } = setup();
    for (let i = 0; i < MAX_TSIG_KEYS_PER_ACCOUNT; i++) await actions.addTsigKey(OWNER, undefined, AUDIT);
    await expect(actions.addTsigKey(OWNER, undefined, AUDIT)).rejects.toThrow(new TsigKeyLimitError(`an account holds at most ${MAX_TSIG_KEYS_PER_ACCOUNT} TSIG keys; remove one first`));
    expect(keys.size).toBe(MAX_TSIG_KEYS_PER_ACCOUNT);
    await expect(actions.addTsigKey(OTHER, undefined, AUDIT)).resolves.toMatchObject({ username: OTHER.username });
  });

  test('requests at once get exactly the keys left under the cap', async () => {
    const { actions, keys } = setup();
    const results = await Promise.allSettled(Array.from({ length: MAX_TSIG_KEYS_PER_ACCOUNT + 5 }, () => actions.addTsigKey(OWNER, undefined, AUDIT)));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(MAX_TSIG_KEYS_PER_ACCOUNT);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof TsigKeyLimitError).length).toBe(5);
    expect(keys.size).toBe(MAX_TSIG_KEYS_PER_ACCOUNT);
  });

  test('two instances on one store racing for the last place never pass the cap; a key given back is audited', async () => {
    const mem = memoryKeys();
    const instance = () => createTsigKeyActions({ store: mem.port, domain: ZONE, now: () => 1234, beforeWrite: () => undefined });
    const first = instance();
    for (let i = 0; i < MAX_TSIG_KEYS_PER_ACCOUNT - 1; i++) await first.addTsigKey(OWNER, undefined, AUDIT);
    const results = await Promise.allSettled([first.addTsigKey(OWNER, undefined, AUDIT), instance().addTsigKey(OWNER, undefined, AUDIT)]);
    expect(mem.keys.size).toBeLessThanOrEqual(MAX_TSIG_KEYS_PER_ACCOUNT);
    const kept = results.filter((r) => r.status === 'fulfilled').length;
    expect(mem.keys.size).toBe(MAX_TSIG_KEYS_PER_ACCOUNT - 1 + kept);
    expect(mem.calls.filter((c) => c.startsWith('remove')).length).toBe(2 - kept);
  });

  test('creation is counted against the write budget', async () => {
    const { actions } = setup({ budget: 1 });
    await actions.addTsigKey(OWNER, undefined, AUDIT);
    await expect(actions.addTsigKey(OWNER, undefined, AUDIT)).rejects.toBeInstanceOf(RateLimitedError);
  });

  test('a name taken already: another random name is tried', async () => {
    // Draws: a secret, a name; a secret, the same name again (taken), another name.
    const fills = [0xaa, 1, 0xbb, 1, 2];
    const { actions, keys } = setup({ random: (n) => Buffer.alloc(n, fills.shift() ?? 7) });
    const first = await actions.addTsigKey(OWNER, undefined, AUDIT);
    const second = await actions.addTsigKey(OWNER, undefined, AUDIT);
    expect(first.name.slice(0, 8)).toBe('01010101');
    expect(second.name.slice(0, 8)).toBe('02020202');
    expect(keys.size).toBe(2);
  });

  test('an account gone meanwhile: AccountGoneError', async () => {
    const { actions } = setup({ accounts: [] });
    await expect(actions.addTsigKey(OWNER, undefined, AUDIT)).rejects.toBeInstanceOf(AccountGoneError);
  });

  test('remove: by any spelling of the name; an owner removes only its own keys', async () => {
    const { actions, keys, calls } = setup();
    const mine = await actions.addTsigKey(OWNER, undefined, AUDIT);
    const theirs = await actions.addTsigKey(OTHER, undefined, AUDIT);
    await expect(actions.removeTsigKey(theirs.name, OWNER, AUDIT)).rejects.toBeInstanceOf(TsigKeyNotFoundError);
    expect(keys.has(theirs.name)).toBe(true);
    await actions.removeTsigKey(`${mine.name.toUpperCase()}.`, OWNER, AUDIT);
    expect(keys.has(mine.name)).toBe(false);
    await expect(actions.removeTsigKey(mine.name, OWNER, AUDIT)).rejects.toThrow(`no TSIG key ${mine.name} of this account`);
    // The operator (no owner) removes any key.
    await actions.removeTsigKey(theirs.name, undefined, AUDIT);
    expect(keys.size).toBe(0);
    expect(calls.filter((c) => c.startsWith('remove'))).toEqual([
      `remove ${theirs.name} ${OWNER.username} cli`,
      `remove ${mine.name} ${OWNER.username} cli`,
      `remove ${mine.name} ${OWNER.username} cli`,
      `remove ${theirs.name} * cli`,
    ]);
  });

  test('remove: a text that cannot be a name asks the store nothing', async () => {
    const { actions, calls } = setup();
    await expect(actions.removeTsigKey('a b\x1b', undefined, AUDIT)).rejects.toThrow('no TSIG key a b\\x1b');
    expect(calls).toEqual([]);
  });
});
