import { parseClientIp } from '../core/cidr';
import { AuthenticationFailedError, RateLimitedError, StoreUnavailableError } from '../core/errors';
import type { Account } from '../core/types';
import { createAuthGate, type CheckCredentials } from './auth-limits';
import type { Credentials } from './authenticate';
import { createRateLimiters, type Client } from './limits';

const KEY = 'k'.repeat(40);
const WRONG = 'w'.repeat(40);
const user = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const account = (name: string): Account => ({ username: name, passwordHash: '', subdomain: name, allowFrom: [] });
const ctxFrom = (address: string): Client => ({ text: address, ip: parseClientIp(address) });

/** The stand-in for authenticate(): refuses malformed credentials first, as it does; every key is KEY; counts the compares. */
function fakeCheck(): { check: CheckCredentials; compares: () => number } {
  let compares = 0;
  const check: CheckCredentials = (_ctx, creds) => {
    if (!/^[0-9a-f-]{36}$/.test(creds.user ?? '') || creds.key?.length !== 40) return Promise.reject(new AuthenticationFailedError('malformed'));
    compares++;
    return creds.key === KEY ? Promise.resolve(account(creds.user ?? '')) : Promise.reject(new AuthenticationFailedError('bad key'));
  };
  return { check, compares: () => compares };
}

const CONFIG = {
  registerPerHour: 0,
  registerBurst: 1,
  authFailures: 3,
  authFailureWindowSeconds: 600,
  authFailuresPerAddress: 5,
  authMalformed: 4,
  authInFlight: 0,
  updatePerHour: 3600,
  updateBurst: 2,
  checkPerHour: 0,
  checkBurst: 1,
  checkPerAddressPerHour: 0,
  checkPerAddressBurst: 1,
};

/** 'ok', 401 or 429 for one authorise call. */
async function outcome(p: Promise<Account>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof RateLimitedError) return '429';
    if (err instanceof AuthenticationFailedError) return '401';
    return 'other';
  }
}

describe('auth gate', () => {
  let now = 1000;
  const clock = (): number => now;
  const gateWith = (overrides: Partial<typeof CONFIG> = {}, check = fakeCheck().check) =>
    createAuthGate(check, createRateLimiters({ ...CONFIG, ...overrides }, clock));
  const creds = (n: number, key = KEY): Credentials => ({ user: user(n), key });
  const a = ctxFrom('198.51.100.1');
  const b = ctxFrom('198.51.100.2');

  test("one user's failures lock that (address, user) pair only; its allowance comes back with time", async () => {
    const gate = gateWith();
    const run = async (ctx: Client, c: Credentials): Promise<string> => outcome(gate.authorise(ctx, c));
    expect([await run(a, creds(1, WRONG)), await run(a, creds(1, WRONG)), await run(a, creds(1, WRONG))]).toEqual(['401', '401', '401']);
    expect(await run(a, creds(1))).toBe('429'); // even the right key: the pair is out of tries
    expect(await run(a, creds(2))).toBe('ok'); // another account at that address
    expect(await run(b, creds(1))).toBe('ok'); // that account from another address
    now += 200; // one try per 200 s
    expect([await run(a, creds(1)), await run(a, creds(1))]).toEqual(['ok', 'ok']); // a success gives its token back
  });

  test('successes give their token back: many in a row, never limited', async () => {
    const gate = gateWith();
    const outcomes = [];
    for (let i = 0; i < 20; i++) outcomes.push(await outcome(gate.authorise(a, creds(7))));
    expect(outcomes).toEqual(Array<string>(20).fill('ok'));
  });

  test('malformed requests have their own cheap limit and spend no compare nor anyone else\'s allowance', async () => {
    const fake = fakeCheck();
    const gate = gateWith({}, fake.check);
    const malformed = [{ user: undefined, key: undefined }, { user: 'nope', key: KEY }, { user: user(1), key: 'short' }, { user: undefined, key: KEY }, { user: undefined, key: undefined }];
    const outcomes = [];
    for (const c of malformed) outcomes.push(await outcome(gate.authorise(a, c)));
    expect(outcomes).toEqual(['401', '401', '401', '401', '429']);
    expect(fake.compares()).toBe(0);
    expect(await outcome(gate.authorise(a, creds(1)))).toBe('ok');
  });

  test('the per-address ceiling: many users failing; a user that authenticated here before is exempt', async () => {
    const gate = gateWith();
    expect(await outcome(gate.authorise(a, creds(100)))).toBe('ok'); // known from here
    const outcomes = [];
    for (let i = 1; i <= 6; i++) outcomes.push(await outcome(gate.authorise(a, creds(i, WRONG))));
    expect(outcomes).toEqual(['401', '401', '401', '401', '401', '429']);
    expect(await outcome(gate.authorise(a, creds(50)))).toBe('429'); // new to this address
    expect(await outcome(gate.authorise(a, creds(100)))).toBe('ok');
    expect(await outcome(gate.authorise(b, creds(50)))).toBe('ok');
  });

  test('concurrency: the token is taken before the compare, so 100 at once run exactly the allowance', async () => {
    const fake = fakeCheck();
    const gate = gateWith({ authFailures: 20, authFailuresPerAddress: 200 }, fake.check);
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => outcome(gate.authorise(a, creds(1, WRONG)))));
    expect([outcomes.filter((o) => o === '401').length, outcomes.filter((o) => o === '429').length]).toEqual([20, 80]);
    expect(fake.compares()).toBe(20);
  });

  test('parallel valid requests of one client wait for the tokens in flight rather than being refused', async () => {
    const fake = fakeCheck();
    const gate = gateWith({ authFailures: 2, authFailuresPerAddress: 2 }, fake.check);
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => outcome(gate.authorise(a, creds(3)))));
    expect(outcomes).toEqual(Array<string>(10).fill('ok'));
    // Wrong keys in parallel still do exactly the allowance of compares.
    const wrong = await Promise.all(Array.from({ length: 10 }, () => outcome(gate.authorise(a, creds(4, WRONG)))));
    expect([wrong.filter((o) => o === '401').length, wrong.filter((o) => o === '429').length, fake.compares()]).toEqual([2, 8, 12]);
  });

  test('a failing store is no failed authentication: the token comes back', async () => {
    const failing: CheckCredentials = () => Promise.reject(new StoreUnavailableError('down'));
    const gate = gateWith({ authFailures: 1 }, failing);
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await outcome(gate.authorise(a, creds(1))));
    expect(outcomes).toEqual(['other', 'other', 'other']);
  });

  test('in flight: at most auth_in_flight compares per address at once; another address is not held up', async () => {
    const pending: Array<() => void> = [];
    let running = 0;
    let most = 0;
    const slow: CheckCredentials = (_ctx, c) =>
      new Promise((resolve) => {
        running++;
        most = Math.max(most, running);
        pending.push(() => {
          running--;
          resolve(account(c.user ?? ''));
        });
      });
    const gate = gateWith({ authInFlight: 2, authFailures: 100, authFailuresPerAddress: 100 }, slow);
    const fromA = Array.from({ length: 5 }, () => gate.authorise(a, creds(1)));
    const fromB = gate.authorise(b, creds(2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending.length).toBe(3); // two of A's, and B's
    while (pending.length > 0) {
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([...fromA, fromB]);
    expect(most).toBe(3);
  });

  test("each account's writes have a budget of their own", () => {
    const gate = gateWith();
    const outcomes = [0, 1, 2].map(() => {
      try {
        gate.beforeWrite(account(user(1)));
        return 'ok';
      } catch (err) {
        return err instanceof RateLimitedError ? `429 ${err.retryAfterSeconds}` : 'other';
      }
    });
    expect(outcomes).toEqual(['ok', 'ok', '429 1']);
    expect(() => gate.beforeWrite(account(user(2)))).not.toThrow();
  });
});
