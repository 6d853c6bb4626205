/**
 * The account actions every transport calls (DESIGN rule 8): the API, the CLI, RFC 2136 updates
 * and the web page. Each action applies the same limits and writes the same audit
 * entry whoever asks, and refuses with a domain error (core/errors.ts) the transport answers in
 * its own words. Nothing else changes an account.
 */
import type { RateLimitConfig } from '../config/types';
import { createAllowListCache } from '../core/allow-list';
import { generatePassword, hashPassword } from '../core/credentials';
import { AccountGoneError, BadSubdomainError, BadTxtError, RateLimitedError } from '../core/errors';
import type { Account } from '../core/types';
import { isValidSubdomain, isValidTxt } from '../core/validation';
import type { AccountsStore, AuditContext } from '../store/types';
import { createAuthGate } from './auth-limits';
import { authenticate, requireAllowedFrom, requireOwnSubdomain, type Credentials } from './authenticate';
import { clientKey, createRateLimiters, type Client } from './limits';
import { checkAllowFrom, register, type NewAccount } from './register';
import { createUpdateActions, type UpdateActions } from './rfc2136';
import { createSelfServiceActions, type SelfServiceActions } from './self-service';
import { createTsigKeyActions, type TsigKeyActions } from './tsig-keys';

/** What the accounts service is built from. */
export interface AccountsDeps {
  readonly store: AccountsStore;
  /** The zone, for a new account's `fulldomain`. */
  readonly domain: string;
  /** The limits (`[ratelimit]`); absent (the CLI, embedding): nothing is limited. */
  readonly rateLimit?: RateLimitConfig;
  /** The limits' monotonic clock in seconds (tests move it by hand); default performance.now(). */
  readonly limitClock?: () => number;
  /** Current time in Unix seconds, for a value's age (tests pin it). */
  readonly now?: () => number;
}

/** A TXT value to store, with the subdomain the client named when its protocol names one (/update). */
export interface TxtChange {
  /** Must be the account's own, exactly (acme-dns); absent: the account's own is meant. */
  readonly subdomain?: string;
  readonly txt: string;
}

/** The account actions (RFC 2136's in rfc2136.ts, the TSIG key actions in tsig-keys.ts). */
export interface Accounts extends UpdateActions, TsigKeyActions, SelfServiceActions {
  /** One registration attempt from `client`, counted whatever comes of it: RateLimitedError over the limit. */
  admitRegistration(client: Client): void;
  /** A new account with random credentials: InvalidAllowFromError for a list acme-dns would refuse. */
  register(allowFrom: readonly string[], audit: AuditContext): Promise<NewAccount>;
  /** Who `creds` prove, under the authentication limits, allowfrom checked: AuthenticationFailedError or RateLimitedError. */
  authenticate(client: Client, creds: Credentials): Promise<Account>;
  /** The account's live TXT values, newest first. */
  liveValues(account: Account): Promise<readonly string[]>;
  /** Stores a value under the account's write budget: AuthenticationFailedError, BadSubdomainError, BadTxtError, RateLimitedError. */
  putTxt(account: Account, change: TxtChange, audit: AuditContext): Promise<void>;
  /** Removes one value under the write budget; true when it was there. */
  removeTxt(account: Account, txt: string, audit: AuditContext): Promise<boolean>;
  /** Deletes the account and its values: AccountGoneError when it is not there. */
  deleteAccount(username: string, audit: AuditContext): Promise<void>;
  /** A new random key, stored as its hash and returned once: AccountGoneError when the account is not there. */
  rotatePassword(username: string, audit: AuditContext): Promise<string>;
  /** Replaces allowfrom with `allowFrom` as stored: InvalidAllowFromError, AccountGoneError. */
  setAllowFrom(username: string, allowFrom: readonly string[], audit: AuditContext): Promise<string[]>;
  /** Removes every value of the account with this subdomain; how many: AccountGoneError when none has it. */
  clearTxt(subdomain: string, audit: AuditContext): Promise<number>;
}

/** BadTxtError unless `txt` is what a DNS-01 value looks like. */
function requireValidTxt(txt: string): void {
  if (!isValidTxt(txt)) throw new BadTxtError(`txt of ${txt.length} characters`);
}

/** The service over `deps.store`; its limits and allowfrom cache live as long as it does. */
export function createAccounts(deps: AccountsDeps): Accounts {
  const { store, domain } = deps;
  const now = deps.now ?? ((): number => Math.floor(Date.now() / 1000));
  const limits = createRateLimiters(deps.rateLimit, deps.limitClock);
  // Parsed allowfrom lists by content: a changed list is a new key, so holding them never changes an answer.
  const allowLists = createAllowListCache();
  const gate = createAuthGate(async (client, creds) => {
    const account = await authenticate(store, creds);
    requireAllowedFrom(allowLists, account, client.ip, client.text);
    return account;
  }, limits);
  const found = <T>(result: T | false | undefined): T => {
    if (result === false || result === undefined) throw new AccountGoneError();
    return result;
  };

  const rotatePassword = async (username: string, audit: AuditContext): Promise<string> => {
    const password = generatePassword();
    found(await store.setPasswordHash(username, await hashPassword(password), audit));
    return password;
  };

  return {
    ...createUpdateActions({ store, gate, allowLists, now }),
    ...createSelfServiceActions({ store, limits, now, beforeWrite: (account) => gate.beforeWrite(account), rotatePassword }),
    admitRegistration(client) {
      const wait = limits.register?.take(clientKey(client)) ?? 0;
      if (wait > 0) throw new RateLimitedError(wait, 'too many registrations from this address');
    },
    register: (allowFrom, audit) => register(store, domain, allowFrom, audit),
    authenticate: (client, creds) => gate.authorise(client, creds),
    liveValues: async (account) => (await store.lookup(account.subdomain, now()))?.values ?? [],
    async putTxt(account, change, audit) {
      if (change.subdomain !== undefined) {
        requireOwnSubdomain(account, change.subdomain);
        if (!isValidSubdomain(change.subdomain)) throw new BadSubdomainError(`stored subdomain ${JSON.stringify(change.subdomain)}`);
      }
      requireValidTxt(change.txt);
      gate.beforeWrite(account);
      await store.putTxt(account.subdomain, change.txt, now(), audit);
    },
    async removeTxt(account, txt, audit) {
      requireValidTxt(txt);
      gate.beforeWrite(account);
      return store.removeTxt(account.subdomain, txt, audit);
    },
    async deleteAccount(username, audit) {
      found(await store.deleteAccount(username, audit));
    },
    rotatePassword,
    async setAllowFrom(username, allowFrom, audit) {
      const entries = checkAllowFrom(allowFrom);
      found(await store.setAllowFrom(username, entries, audit));
      return entries;
    },
    clearTxt: async (subdomain, audit) => found(await store.clearTxt(subdomain, audit)),
    ...createTsigKeyActions({ store, domain, now, beforeWrite: (owner) => gate.beforeWrite(owner) }),
  };
}
