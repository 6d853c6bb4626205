/**
 * What an account does to itself through the self-service page (issue 13), over the same store,
 * limits and audit trail as every other action: its values with their times, clearing them,
 * rotating its own key, and admitting a delegation check under its two limits.
 */
import { AccountGoneError, RateLimitedError } from '../core/errors';
import type { Account } from '../core/types';
import type { AccountsStore, AuditContext, LiveTxtValue } from '../store/types';
import { clientKey, type Client, type RateLimiters } from './limits';

/** The account's own actions (the signed-in account: authenticated by the caller). */
export interface SelfServiceActions {
  /** The values DNS serves now for the account, with their times, newest first. */
  valueTimes(account: Account): Promise<readonly LiveTxtValue[]>;
  /** How many values DNS serves now at `subdomain`; undefined when no account has it. */
  nameValues(subdomain: string): Promise<number | undefined>;
  /** Removes every value of the account, under its write budget; how many went. AccountGoneError when it is gone. */
  clearOwnTxt(account: Account, audit: AuditContext): Promise<number>;
  /** A new random key for the account, under its write budget, returned once: the old key fails from now on. */
  rotateOwnKey(account: Account, audit: AuditContext): Promise<string>;
  /** One delegation check of `account` asked by `client`: RateLimitedError over the account's or the address's limit. */
  admitDelegationCheck(client: Client, account: Pick<Account, 'username'>): void;
}

/** What the actions are built from (service.ts passes its own). */
export interface SelfServiceDeps {
  readonly store: AccountsStore;
  readonly limits: RateLimiters;
  readonly now: () => number;
  /** The account's write budget (auth-limits.ts beforeWrite). */
  readonly beforeWrite: (account: Pick<Account, 'username'>) => void;
  /** The key rotation every transport uses (service.ts rotatePassword). */
  readonly rotatePassword: (username: string, audit: AuditContext) => Promise<string>;
}

/** The actions over `deps`. */
export function createSelfServiceActions(deps: SelfServiceDeps): SelfServiceActions {
  const { store, limits } = deps;
  return {
    valueTimes: (account) => store.liveTxt(account.subdomain, deps.now()),
    nameValues: async (subdomain) => (await store.lookup(subdomain, deps.now()))?.values.length,
    async clearOwnTxt(account, audit) {
      deps.beforeWrite(account);
      const cleared = await store.clearTxt(account.subdomain, audit);
      if (cleared === undefined) throw new AccountGoneError();
      return cleared;
    },
    async rotateOwnKey(account, audit) {
      // A rotation costs a bcrypt hash: it spends the write budget like a value does.
      deps.beforeWrite(account);
      return deps.rotatePassword(account.username, audit);
    },
    admitDelegationCheck(client, account) {
      // Both or neither: a refusal by the address's limit gives the account's token back.
      const wait = limits.checks?.take(account.username) ?? 0;
      if (wait > 0) throw new RateLimitedError(wait, 'too many delegation checks for this account');
      const address = clientKey(client);
      const addressWait = limits.checksPerAddress?.take(address) ?? 0;
      if (addressWait > 0) {
        limits.checks?.give(account.username);
        throw new RateLimitedError(addressWait, 'too many delegation checks from this address');
      }
    },
  };
}
