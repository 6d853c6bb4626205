import type { RateLimitConfig } from '../config/types';
import { parseClientIp } from '../core/cidr';
import { hashPassword } from '../core/credentials';
import {
  AccountGoneError,
  AuthenticationFailedError,
  BadTxtError,
  InvalidAllowFromError,
  RateLimitedError,
} from '../core/errors';
import type { Account } from '../core/types';
import type { AccountsStore, AuditContext } from '../store/types';
import type { Credentials } from './authenticate';
import type { Client } from './limits';
import { registrationJson } from './register';
import { createAccounts, type Accounts } from './service';

const KEY = 'k'.repeat(40);
const USER = '00000000-0000-4000-8000-000000000001';
const SUB = '00000000-0000-4000-8000-00000000000a';
const TXT = 'a'.repeat(43);
const AUDIT: AuditContext = { actor: 'api', client: '192.0.2.1' };
const from = (address: string): Client => ({ text: address, ip: parseClientIp(address) });

/** Every limit off except the ones a test sets. */
const NO_LIMITS: RateLimitConfig = {
  registerPerHour: 0,
  registerBurst: 1,
  authFailures: 0,
  authFailureWindowSeconds: 600,
  authFailuresPerAddress: 0,
  authMalformed: 0,
  authInFlight: 0,
  updatePerHour: 0,
  updateBurst: 1,
  checkPerHour: 0,
  checkBurst: 1,
  checkPerAddressPerHour: 0,
  checkPerAddressBurst: 1,
};

/** An in-memory AccountsStore that records what it was asked to change. */
function memoryStore(): AccountsStore & { accounts: Map<string, Account>; txt: Map<string, string[]>; calls: string[] } {
  const pending = (): Promise<never> => Promise.reject(new Error('not used here'));
  const accounts = new Map<string, Account>();
  const txt = new Map<string, string[]>();
  const calls: string[] = [];
  const bySub = (sub: string): Account | undefined => [...accounts.values()].find((a) => a.subdomain === sub);
  return {
    // Issue 10's ports, not used by these tests.
    addTsigKey: pending,
    listTsigKeys: pending,
    findTsigKey: pending,
    removeTsigKey: pending,
    applyTxtUpdate: pending,
    liveTxt: pending,
    accounts,
    txt,
    calls,
    createAccount: (a, audit) => {
      calls.push(`create ${a.username} ${audit?.actor}`);
      accounts.set(a.username, a);
      return Promise.resolve();
    },
    findAccount: (u) => Promise.resolve(accounts.get(u)),
    lookup: (sub) => Promise.resolve(bySub(sub) === undefined ? undefined : { values: txt.get(sub) ?? [] }),
    putTxt: (sub, value, now, audit) => {
      calls.push(`put ${sub} ${value} ${now} ${audit?.client}`);
      txt.set(sub, [value, ...(txt.get(sub) ?? [])]);
      return Promise.resolve();
    },
    removeTxt: (sub, value) => {
      const before = txt.get(sub) ?? [];
      txt.set(sub, before.filter((v) => v !== value));
      return Promise.resolve(before.includes(value));
    },
    deleteAccount: (u) => Promise.resolve(accounts.delete(u)),
    setPasswordHash: (u, passwordHash) => {
      const a = accounts.get(u);
      if (a !== undefined) accounts.set(u, { ...a, passwordHash });
      return Promise.resolve(a !== undefined);
    },
    setAllowFrom: (u, allowFrom) => {
      const a = accounts.get(u);
      if (a !== undefined) accounts.set(u, { ...a, allowFrom });
      return Promise.resolve(a !== undefined);
    },
    clearTxt: (sub) => {
      if (bySub(sub) === undefined) return Promise.resolve(undefined);
      const n = txt.get(sub)?.length ?? 0;
      txt.delete(sub);
      return Promise.resolve(n);
    },
  };
}

/** The name of what `p` threw (with its reason), or 'ok'. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof Error && 'reason' in err) return `${err.name}: ${String(err.reason)}`;
    throw err;
  }
}

let passwordHash: string;
beforeAll(async () => {
  passwordHash = await hashPassword(KEY);
});

function setup(limits: Partial<RateLimitConfig> = {}, allowFrom: readonly string[] = []): { accounts: Accounts; store: ReturnType<typeof memoryStore>; account: Account } {
  const store = memoryStore();
  const account: Account = { username: USER, passwordHash, subdomain: SUB, allowFrom };
  store.accounts.set(USER, account);
  const accounts = createAccounts({ store, domain: 'auth.example.org', rateLimit: { ...NO_LIMITS, ...limits }, limitClock: () => 0, now: () => 1234 });
  return { accounts, store, account };
}

describe('authenticate: acme-dns order, every failure the same error, its reason for the log', () => {
  test.each<[string, Credentials, string, readonly string[], string]>([
    ['a user that is no UUID', { user: 'nope', key: KEY }, '192.0.2.1', [], 'AuthenticationFailedError: X-Api-User is not a UUID'],
    ['a key that is no key', { user: USER, key: 'short' }, '192.0.2.1', [], 'AuthenticationFailedError: X-Api-Key is not a key'],
    ['no credentials', { user: undefined, key: undefined }, '192.0.2.1', [], 'AuthenticationFailedError: X-Api-User is not a UUID'],
    ['an unknown user', { user: USER.replace('1', '2'), key: KEY }, '192.0.2.1', [], 'AuthenticationFailedError: unknown user'],
    ['a wrong key', { user: USER, key: 'w'.repeat(40) }, '192.0.2.1', [], 'AuthenticationFailedError: bad key'],
    ['an address outside allowfrom', { user: USER, key: KEY }, '192.0.2.1', ['198.51.100.0/24'], 'AuthenticationFailedError: ip not allowed: 192.0.2.1'],
    ['an address inside allowfrom', { user: USER, key: KEY }, '198.51.100.7', ['198.51.100.0/24'], 'ok'],
    ['only invalid allowfrom entries: anywhere', { user: USER, key: KEY }, '192.0.2.1', ['nonsense'], 'ok'],
    ['the user in upper case', { user: USER.toUpperCase(), key: KEY }, '192.0.2.1', [], 'ok'],
  ])('%s -> %s', async (_name, creds, address, allowFrom, expected) => {
    const { accounts } = setup({}, allowFrom);
    expect(await outcome(accounts.authenticate(from(address), creds))).toBe(expected);
  });

  test('failures per (address, user) run out; another user from the same address is not held back', async () => {
    const { accounts, store } = setup({ authFailures: 2 });
    const other: Account = { username: USER.replace('1', '3'), passwordHash, subdomain: 'other', allowFrom: [] };
    store.accounts.set(other.username, other);
    const wrong = { user: USER, key: 'w'.repeat(40) };
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await outcome(accounts.authenticate(from('192.0.2.1'), wrong)));
    expect(results).toEqual(['AuthenticationFailedError: bad key', 'AuthenticationFailedError: bad key', 'RateLimitedError: too many failed authentications']);
    expect(await outcome(accounts.authenticate(from('192.0.2.1'), { user: other.username, key: KEY }))).toBe('ok');
  });
});

describe('TXT values: checks in /update order, then the account write budget', () => {
  test.each<[string, { subdomain?: string; txt: string }, string]>([
    ['another account\'s subdomain', { subdomain: 'someone-else', txt: TXT }, 'AuthenticationFailedError: subdomain mismatch'],
    ['a value that is no DNS-01 value', { subdomain: SUB, txt: 'short' }, 'BadTxtError: txt of 5 characters'],
    ['no subdomain named (httpreq): the own', { txt: TXT }, 'ok'],
    ['the own subdomain', { subdomain: SUB, txt: TXT }, 'ok'],
  ])('%s -> %s', async (_name, change, expected) => {
    const { accounts, account, store } = setup();
    expect(await outcome(accounts.putTxt(account, change, AUDIT))).toBe(expected);
    expect(store.calls).toEqual(expected === 'ok' ? [`put ${SUB} ${TXT} 1234 192.0.2.1`] : []);
  });

  test('an account whose stored subdomain is invalid (imported) -> BadSubdomainError', async () => {
    const { accounts, account } = setup();
    const odd = { ...account, subdomain: 'not valid!' };
    expect(await outcome(accounts.putTxt(odd, { subdomain: 'not valid!', txt: TXT }, AUDIT))).toBe('BadSubdomainError: stored subdomain "not valid!"');
  });

  test('puts and removes share one budget per account', async () => {
    const { accounts, account } = setup({ updatePerHour: 1, updateBurst: 2 });
    const results = [
      await outcome(accounts.putTxt(account, { txt: TXT }, AUDIT)),
      await outcome(accounts.removeTxt(account, TXT, AUDIT)),
      await outcome(accounts.putTxt(account, { txt: TXT }, AUDIT)),
    ];
    expect(results).toEqual(['ok', 'ok', 'RateLimitedError: too many updates for this account']);
  });

  test('removeTxt: true only when the value was there; a bad value is refused first', async () => {
    const { accounts, account } = setup();
    await accounts.putTxt(account, { txt: TXT }, AUDIT);
    expect(await accounts.removeTxt(account, TXT, AUDIT)).toBe(true);
    expect(await accounts.removeTxt(account, TXT, AUDIT)).toBe(false);
    await expect(accounts.removeTxt(account, 'x', AUDIT)).rejects.toBeInstanceOf(BadTxtError);
    expect(await accounts.liveValues(account)).toEqual([]);
  });
});

describe('registration', () => {
  test('a new account with its one plain password, the JSON in acme-dns key order', async () => {
    const { accounts, store } = setup();
    const created = await accounts.register(['[2001:db8::]/32'], { actor: 'cli' });
    expect(Object.keys(JSON.parse(registrationJson(created)) as object)).toEqual(['username', 'password', 'fulldomain', 'subdomain', 'allowfrom']);
    expect(created.fulldomain).toBe(`${created.subdomain}.auth.example.org`);
    expect(created.allowfrom).toEqual(['2001:db8::/32']);
    expect(store.calls).toEqual([`create ${created.username} cli`]);
    expect(await outcome(accounts.authenticate(from('2001:db8::1'), { user: created.username, key: created.password }))).toBe('ok');
  });

  test.each<[string, readonly string[], string]>([
    ['an entry that is no CIDR', ['10.0.0.1'], 'InvalidAllowFromError: not a CIDR: "10.0.0.1"'],
    ['too many entries', Array<string>(101).fill('10.0.0.0/8'), 'InvalidAllowFromError: 101 entries, more than 100'],
  ])('%s -> %s, nothing stored', async (_name, list, expected) => {
    const { accounts, store } = setup();
    expect(await outcome(accounts.register(list, AUDIT))).toBe(expected);
    expect(store.calls).toEqual([]);
  });

  test('attempts per address run out; another address still registers', () => {
    const { accounts } = setup({ registerPerHour: 60, registerBurst: 2 });
    const admit = (address: string): string => {
      try {
        accounts.admitRegistration(from(address));
        return 'ok';
      } catch (err) {
        return err instanceof RateLimitedError ? `429 ${err.retryAfterSeconds}` : 'other';
      }
    };
    expect([admit('192.0.2.1'), admit('192.0.2.1'), admit('192.0.2.1'), admit('192.0.2.2')]).toEqual(['ok', 'ok', '429 60', 'ok']);
  });
});

describe('management actions: AccountGoneError when the account is not there', () => {
  const GONE = USER.replace('1', '9');
  test.each<[string, (a: Accounts) => Promise<unknown>]>([
    ['deleteAccount', (a) => a.deleteAccount(GONE, AUDIT)],
    ['rotatePassword', (a) => a.rotatePassword(GONE, AUDIT)],
    ['setAllowFrom', (a) => a.setAllowFrom(GONE, [], AUDIT)],
    ['clearTxt', (a) => a.clearTxt('no-such-subdomain', AUDIT)],
  ])('%s', async (_name, act) => {
    await expect(act(setup().accounts)).rejects.toBeInstanceOf(AccountGoneError);
  });

  test('rotatePassword: the new key authenticates, the old one no longer', async () => {
    const { accounts } = setup();
    const key = await accounts.rotatePassword(USER, AUDIT);
    expect(await outcome(accounts.authenticate(from('192.0.2.1'), { user: USER, key }))).toBe('ok');
    expect(await outcome(accounts.authenticate(from('192.0.2.1'), { user: USER, key: KEY }))).toBe('AuthenticationFailedError: bad key');
  });

  test('setAllowFrom stores the list as /register would, and refuses what /register refuses', async () => {
    const { accounts, store } = setup();
    expect(await accounts.setAllowFrom(USER, ['[2001:db8::]/32'], AUDIT)).toEqual(['2001:db8::/32']);
    expect(store.accounts.get(USER)?.allowFrom).toEqual(['2001:db8::/32']);
    await expect(accounts.setAllowFrom(USER, ['x'], AUDIT)).rejects.toBeInstanceOf(InvalidAllowFromError);
  });

  test('clearTxt counts what went; deleteAccount leaves credentials that no longer authenticate', async () => {
    const { accounts, account } = setup();
    await accounts.putTxt(account, { txt: TXT }, AUDIT);
    expect(await accounts.clearTxt(SUB, AUDIT)).toBe(1);
    await accounts.deleteAccount(USER, AUDIT);
    await expect(accounts.authenticate(from('192.0.2.1'), { user: USER, key: KEY })).rejects.toBeInstanceOf(AuthenticationFailedError);
  });
});

describe("self-service: the account's own actions under its limits", () => {
  test('clearing the values and rotating the key spend the write budget', async () => {
    const { accounts, account } = setup({ updatePerHour: 1, updateBurst: 2 });
    await accounts.putTxt(account, { txt: TXT }, AUDIT);
    expect(await outcome(accounts.clearOwnTxt(account, AUDIT))).toBe('ok');
    expect(await outcome(accounts.rotateOwnKey(account, AUDIT))).toBe('RateLimitedError: too many updates for this account');
  });

  test('a rotated key: the new one authenticates, the old one no longer', async () => {
    const { accounts, account } = setup();
    const key = await accounts.rotateOwnKey(account, AUDIT);
    expect(await outcome(accounts.authenticate(from('192.0.2.1'), { user: USER, key }))).toBe('ok');
    expect(await outcome(accounts.authenticate(from('192.0.2.1'), { user: USER, key: KEY }))).toBe('AuthenticationFailedError: bad key');
  });

  test('clearing the values of an account deleted meanwhile: AccountGoneError', async () => {
    const { accounts, account, store } = setup();
    store.accounts.delete(USER);
    expect(await outcome(accounts.clearOwnTxt(account, AUDIT))).toBe('AccountGoneError: account deleted meanwhile');
  });

  test('delegation checks: per account and per address; a refusal by the address gives the account its token back', () => {
    const { accounts, account } = setup({ checkPerHour: 1, checkBurst: 2, checkPerAddressPerHour: 1, checkPerAddressBurst: 3 });
    const b = { username: USER.replace('1', '4') };
    const admit = (who: Pick<Account, 'username'>, address: string): string => {
      try {
        accounts.admitDelegationCheck(from(address), who);
        return 'ok';
      } catch (err) {
        return err instanceof Error && 'reason' in err ? String(err.reason) : 'thrown';
      }
    };
    expect([admit(account, '192.0.2.1'), admit(account, '192.0.2.1'), admit(account, '198.51.100.1')]).toEqual([
      'ok',
      'ok',
      'too many delegation checks for this account',
    ]);
    expect([admit(b, '192.0.2.1'), admit(b, '192.0.2.1'), admit(b, '198.51.100.1'), admit(b, '198.51.100.1')]).toEqual([
      'ok',
      'too many delegation checks from this address',
      'ok',
      'too many delegation checks for this account',
    ]);
  });
});
