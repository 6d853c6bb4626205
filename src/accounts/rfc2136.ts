/**
 * The account actions of an RFC 2136 UPDATE (issue 10), under the same rules as the HTTP API's
 * /update: the failed-authentication limits (a bad or unknown TSIG key counts as a wrong key, per
 * (address, key name) and per address), the account's allowfrom checked against the packet's
 * source, the account's write budget, the same store call's policy (`txt.keep`, `txt.max_age`),
 * and an audit entry naming the key. The signature itself is checked by the transport (dns/
 * knows TSIG); this file only learns whether it held.
 */
import type { AllowListCache } from '../core/allow-list';
import { AccountGoneError, AuthenticationFailedError, BadTxtError } from '../core/errors';
import type { Account } from '../core/types';
import { isStorableTxt } from '../core/validation';
import type { AccountsStore, StoredTsigKey, TxtUpdate, TxtUpdateOutcome } from '../store/types';
import type { AuthGate } from './auth-limits';
import { requireAllowedFrom } from './authenticate';
import type { Client } from './limits';

/**
 * The transport's check of a request's signature with the named key (undefined: no key has that
 * name): true when it holds. Called at most once, and only within the authentication limits.
 */
export type VerifyWithKey = (key: StoredTsigKey | undefined) => boolean;

/** Who a verified key proved: the key and its account (allowfrom already checked). */
export interface KeyHolder {
  readonly key: StoredTsigKey;
  readonly account: Account;
}

/** A change to the holder's TXT RRset, with its prerequisites (RFC 2136 §3.2) as a test of the current values. */
export interface TxtChangeSet {
  readonly update: TxtUpdate;
  /** False: a prerequisite failed and nothing changes (the transport remembers which). */
  readonly check: (current: readonly string[]) => boolean;
}

/** The RFC 2136 actions. */
export interface UpdateActions {
  /**
   * Finds the key named `keyName` and lets `verify` check the request with it, under the
   * authentication limits: AuthenticationFailedError (unknown key, bad signature or time, a source
   * outside the account's allowfrom), AccountGoneError, or RateLimitedError (then `verify` is not called).
   */
  authenticateKey(client: Client, keyName: string, verify: VerifyWithKey): Promise<KeyHolder>;
  /**
   * Applies `change` atomically to the holder's account name under its write budget, audited as
   * an RFC 2136 change by `client` with the key's name: BadTxtError for a value that cannot be
   * stored, RateLimitedError, AccountGoneError when the account went meanwhile.
   */
  applyUpdate(holder: KeyHolder, client: Client, change: TxtChangeSet): Promise<Exclude<TxtUpdateOutcome, { kind: 'gone' }>>;
}

/** What the actions are built from (service.ts passes its own). */
export interface UpdateActionsDeps {
  readonly store: Pick<AccountsStore, 'findTsigKey' | 'findAccount' | 'applyTxtUpdate'>;
  readonly gate: AuthGate;
  readonly allowLists: AllowListCache;
  /** Unix seconds. */
  readonly now: () => number;
}

/** The limits' user for a key: apart from every X-Api-User (a key may be named like a UUID). */
const limitUser = (keyName: string): string => `tsig ${keyName.toLowerCase()}`;

/** Builds the RFC 2136 actions. */
export function createUpdateActions(deps: UpdateActionsDeps): UpdateActions {
  const { store, gate, allowLists, now } = deps;
  return {
    authenticateKey: (client, keyName, verify) =>
      gate.authoriseAs(client, limitUser(keyName), async () => {
        const key = await store.findTsigKey(keyName);
        if (!verify(key) || key === undefined) throw new AuthenticationFailedError(key === undefined ? 'unknown TSIG key' : 'bad TSIG signature or time');
        const account = await store.findAccount(key.username);
        if (account === undefined) throw new AccountGoneError();
        requireAllowedFrom(allowLists, account, client.ip, client.text);
        return { key, account };
      }),
    async applyUpdate(holder, client, change) {
      for (const value of [...change.update.add, ...change.update.remove]) {
        if (!isStorableTxt(value)) throw new BadTxtError(`TXT value of ${Buffer.byteLength(value)} octets that cannot be stored`);
      }
      gate.beforeWrite(holder.account);
      const audit = { actor: 'rfc2136', client: client.text, key: holder.key.name } as const;
      const outcome = await store.applyTxtUpdate(holder.account.subdomain, change.update, change.check, now(), audit);
      if (outcome.kind === 'gone') throw new AccountGoneError();
      return outcome;
    },
  };
}
