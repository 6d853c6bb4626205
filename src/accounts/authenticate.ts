/**
 * Authentication in acme-dns's order (auth.go): the user must parse as a UUID, the key must look
 * like a key, the user must exist (else a dummy bcrypt compare, so an unknown user costs what a
 * wrong key costs), the key must match, the client must be in allowfrom. Every failure is the
 * same AuthenticationFailedError; its reason goes to the log only.
 */
import type { AllowListCache } from '../core/allow-list';
import { anyContains, type IpAddress } from '../core/cidr';
import { dummyVerify, verifyPassword } from '../core/credentials';
import { AuthenticationFailedError } from '../core/errors';
import type { Account } from '../core/types';
import { parseUuid } from '../core/uuid';
import { isValidKey } from '../core/validation';
import type { AccountsStore } from '../store/types';

/** The credentials a client presents, whatever carries them (API headers, HTTP Basic, ...). */
export interface Credentials {
  /** The user (the API: the first `X-Api-User` value, as Go's Header.Get returns it). */
  readonly user: string | undefined;
  /** The key (the API: the first `X-Api-Key` value). */
  readonly key: string | undefined;
}

/** Steps 1-4: who is asking. Throws AuthenticationFailedError (reason for the log) or a store error. */
export async function authenticate(store: Pick<AccountsStore, 'findAccount'>, creds: Credentials): Promise<Account> {
  const username = parseUuid(creds.user ?? '');
  if (username === undefined) throw new AuthenticationFailedError('X-Api-User is not a UUID');
  const key = creds.key ?? '';
  if (!isValidKey(key)) throw new AuthenticationFailedError('X-Api-Key is not a key');
  const account = await store.findAccount(username);
  if (account === undefined) {
    await dummyVerify(key);
    throw new AuthenticationFailedError('unknown user');
  }
  if (!(await verifyPassword(key, account.passwordHash))) throw new AuthenticationFailedError('bad key');
  return account;
}

/**
 * Step 5: an account with no valid allowfrom entry may update from anywhere (acme-dns
 * `AllowedFrom` skips invalid entries, so an imported list of only invalid ones restricts
 * nothing); otherwise the client address must lie in one of the ranges. `lists` parses each
 * distinct list once (core/allow-list.ts).
 */
export function isAllowedFrom(lists: AllowListCache, account: Account, client: IpAddress | undefined): boolean {
  const ranges = lists.ranges(account.allowFrom);
  if (ranges.length === 0) return true;
  return client !== undefined && anyContains(ranges, client);
}

/** Step 5 as a check: throws AuthenticationFailedError ("ip not allowed"). */
export function requireAllowedFrom(lists: AllowListCache, account: Account, client: IpAddress | undefined, clientText: string): void {
  if (!isAllowedFrom(lists, account, client)) throw new AuthenticationFailedError(`ip not allowed: ${clientText}`);
}

/** Step 6: the subdomain an update names must equal the account's, exactly (case-sensitive, as acme-dns). */
export function requireOwnSubdomain(account: Account, subdomain: string): void {
  if (subdomain !== account.subdomain) throw new AuthenticationFailedError('subdomain mismatch');
}
