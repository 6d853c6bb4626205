import type { RateLimitConfig } from '../config/types';
import { createAllowListCache } from '../core/allow-list';
import { parseClientIp } from '../core/cidr';
import { AccountGoneError, AuthenticationFailedError, BadTxtError, RateLimitedError } from '../core/errors';
import type { Account } from '../core/types';
import type { AccountsStore, AuditContext, StoredTsigKey, TxtUpdate, TxtUpdateOutcome } from '../store/types';
import { createAuthGate } from './auth-limits';
import type { Client } from './limits';
import { createRateLimiters } from './limits';
import { createUpdateActions, type UpdateActions } from './rfc2136';

const from = (address: string): Client => ({ text: address, ip: parseClientIp(address) });
const ACCOUNT: Account = { username: 'u1', passwordHash: 'x', subdomain: 'sub1', allowFrom: [] };
const KEY: StoredTsigKey = { name: 'k1', algorithm: 'hmac-sha256', secret: Buffer.from('s'), username: 'u1', subdomain: 'sub1', createdAt: 0 };
const ADD: TxtUpdate = { deleteAll: false, remove: [], add: ['v'] };

const LIMITS: RateLimitConfig = {
  registerPerHour: 0,
  registerBurst: 1,
  authFailures: 2,
  authFailureWindowSeconds: 600,
  authFailuresPerAddress: 0,
  authMalformed: 0,
  authInFlight: 0,
  updatePerHour: 1,
  updateBurst: 1,
  checkPerHour: 0,
  checkBurst: 1,
  checkPerAddressPerHour: 0,
  checkPerAddressBurst: 1,
};

type Store = Pick<AccountsStore, 'findTsigKey' | 'findAccount' | 'applyTxtUpdate'>;

function setup(account: Account = ACCOUNT, outcome: TxtUpdateOutcome = { kind: 'applied', added: 1, removed: 0 }) {
  const applied: { subdomain: string; update: TxtUpdate; audit: AuditContext | undefined; checked: boolean }[] = [];
  const store: Store = {
    findTsigKey: (name) => Promise.resolve(name === KEY.name ? KEY : undefined),
    findAccount: (u) => Promise.resolve(u === account.username ? account : undefined),
    applyTxtUpdate: (subdomain, update, check, _now, audit) => {
      applied.push({ subdomain, update, audit, checked: check(['current']) });
      return Promise.resolve(outcome);
    },
  };
  const clock = { t: 0 };
  const limits = createRateLimiters(LIMITS, () => clock.t);
  const gate = createAuthGate(() => Promise.reject(new Error('not used')), limits);
  const actions: UpdateActions = createUpdateActions({ store, gate, allowLists: createAllowListCache(), now: () => 1000 });
  return { actions, applied, clock };
}

describe('authenticateKey', () => {
  test('a verified key proves its account', async () => {
    const { actions } = setup();
    const seen: (StoredTsigKey | undefined)[] = [];
    const holder = await actions.authenticateKey(from('192.0.2.1'), 'k1', (k) => (seen.push(k), true));
    expect(holder).toEqual({ key: KEY, account: ACCOUNT });
    expect(seen).toEqual([KEY]);
  });

  test('an unknown key is verified as none (BADKEY) and refused', async () => {
    const { actions } = setup();
    const seen: (StoredTsigKey | undefined)[] = [];
    await expect(actions.authenticateKey(from('192.0.2.1'), 'nope', (k) => (seen.push(k), false))).rejects.toBeInstanceOf(AuthenticationFailedError);
    expect(seen).toEqual([undefined]);
  });

  test('failures are limited per (address, key): over it, verify is not called; another address goes on', async () => {
    const { actions } = setup();
    const bad = (): boolean => false;
    for (let i = 0; i < 2; i++) await expect(actions.authenticateKey(from('192.0.2.1'), 'k1', bad)).rejects.toBeInstanceOf(AuthenticationFailedError);
    let called = false;
    await expect(actions.authenticateKey(from('192.0.2.1'), 'k1', () => (called = true))).rejects.toBeInstanceOf(RateLimitedError);
    expect(called).toBe(false);
    await expect(actions.authenticateKey(from('192.0.2.2'), 'k1', () => true)).resolves.toMatchObject({ key: KEY });
  });

  test('allowfrom is checked against the source, and counts as a failure', async () => {
    const { actions } = setup({ ...ACCOUNT, allowFrom: ['198.51.100.0/24'] });
    await expect(actions.authenticateKey(from('198.51.100.7'), 'k1', () => true)).resolves.toMatchObject({ key: KEY });
    for (let i = 0; i < 2; i++) await expect(actions.authenticateKey(from('192.0.2.1'), 'k1', () => true)).rejects.toBeInstanceOf(AuthenticationFailedError);
    await expect(actions.authenticateKey(from('192.0.2.1'), 'k1', () => true)).rejects.toBeInstanceOf(RateLimitedError);
  });

  test('a key whose account is gone', async () => {
    const { actions } = setup({ ...ACCOUNT, username: 'other' });
    await expect(actions.authenticateKey(from('192.0.2.1'), 'k1', () => true)).rejects.toBeInstanceOf(AccountGoneError);
  });
});

describe('applyUpdate', () => {
  const holder = { key: KEY, account: ACCOUNT };

  test('applies to the account name with the check, audited as rfc2136 with the key name', async () => {
    const { actions, applied } = setup();
    const outcome = await actions.applyUpdate(holder, from('192.0.2.1'), { update: ADD, check: (c) => c.length === 1 });
    expect(outcome).toEqual({ kind: 'applied', added: 1, removed: 0 });
    expect(applied).toEqual([{ subdomain: 'sub1', update: ADD, audit: { actor: 'rfc2136', client: '192.0.2.1', key: 'k1' }, checked: true }]);
  });

  test('the write budget applies', async () => {
    const { actions, applied, clock } = setup();
    await actions.applyUpdate(holder, from('192.0.2.1'), { update: ADD, check: () => true });
    await expect(actions.applyUpdate(holder, from('192.0.2.1'), { update: ADD, check: () => true })).rejects.toBeInstanceOf(RateLimitedError);
    clock.t += 3600;
    await actions.applyUpdate(holder, from('192.0.2.1'), { update: ADD, check: () => true });
    expect(applied).toHaveLength(2);
  });

  test.each([[''], ['a\0b'], ['x'.repeat(4097)]])('a value that cannot be stored is refused before the store: %j', async (value) => {
    const { actions, applied } = setup();
    const update = { deleteAll: false, remove: [], add: [value] };
    await expect(actions.applyUpdate(holder, from('192.0.2.1'), { update, check: () => true })).rejects.toBeInstanceOf(BadTxtError);
    expect(applied).toHaveLength(0);
  });

  test('a failed prerequisite is an outcome, the account gone an error', async () => {
    await expect(setup(ACCOUNT, { kind: 'prerequisite-failed' }).actions.applyUpdate(holder, from('192.0.2.1'), { update: ADD, check: () => false })).resolves.toEqual({ kind: 'prerequisite-failed' });
    await expect(setup(ACCOUNT, { kind: 'gone' }).actions.applyUpdate(holder, from('192.0.2.1'), { update: ADD, check: () => true })).rejects.toBeInstanceOf(AccountGoneError);
  });
});
