/**
 * /update authentication in acme-dns's order (auth.go): X-Api-User must parse as a UUID, X-Api-Key
 * must look like a key, the user must exist (else a dummy bcrypt compare, so an unknown user costs
 * what a wrong key costs), the key must match, the client must be in allowfrom. Every failure is
 * the same 401; the reason goes to the log only.
 */
import { ApiError } from '../core/errors';
import { createAllowListCache } from '../core/allow-list';
import { anyContains, type IpAddress } from '../core/cidr';
import { dummyVerify, verifyPassword } from '../core/credentials';
import type { Account } from '../core/types';
import { parseUuid } from '../core/uuid';
import { isValidKey } from '../core/validation';
import type { AccountStore } from '../store/types';

/** The headers and address authentication looks at. */
export interface Credentials {
  /** The first `X-Api-User` value, as Go's Header.Get returns it. */
  readonly user: string | undefined;
  /** The first `X-Api-Key` value. */
  readonly key: string | undefined;
}

/** Steps 1-4: who is asking. Throws ApiError `forbidden` (reason for the log) or a store error. */
export async function authenticate(store: AccountStore, creds: Credentials): Promise<Account> {
  const username = parseUuid(creds.user ?? '');
  if (username === undefined) throw new ApiError('forbidden', 'X-Api-User is not a UUID');
  const key = creds.key ?? '';
  if (!isValidKey(key)) throw new ApiError('forbidden', 'X-Api-Key is not a key');
  const account = await store.findAccount(username);
  if (account === undefined) {
    await dummyVerify(key);
    throw new ApiError('forbidden', 'unknown user');
  }
  if (!(await verifyPassword(key, account.passwordHash))) throw new ApiError('forbidden', 'bad key');
  return account;
}

/**
 * Parsed allowfrom lists by content, shared by every request of this process. A memo of a pure
 * function, not state: what it answers never depends on what it holds, only how fast (so it is no
 * dependency to pass in); bounded, and a changed list is a new key (core/allow-list.ts).
 */
const allowLists = createAllowListCache();

/**
 * Step 5: an account with no valid allowfrom entry may update from anywhere (acme-dns
 * `AllowedFrom` skips invalid entries, so an imported list of only invalid ones restricts
 * nothing); otherwise the client address must lie in one of the ranges.
 */
export function isAllowedFrom(account: Account, client: IpAddress | undefined): boolean {
  const ranges = allowLists.ranges(account.allowFrom);
  if (ranges.length === 0) return true;
  return client !== undefined && anyContains(ranges, client);
}

/** Step 5 as a check: throws ApiError `forbidden` ("ip not allowed"). */
export function requireAllowedFrom(account: Account, client: IpAddress | undefined, clientText: string): void {
  if (!isAllowedFrom(account, client)) throw new ApiError('forbidden', `ip not allowed: ${clientText}`);
}

/** Step 6: the body's subdomain must equal the account's, exactly (case-sensitive, as acme-dns). */
export function requireOwnSubdomain(account: Account, subdomain: string): void {
  if (subdomain !== account.subdomain) throw new ApiError('forbidden', 'subdomain mismatch');
}
