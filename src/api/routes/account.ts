/**
 * GET and DELETE /account (ours; acme-dns has neither: its #177, #434): an authenticated client
 * reads what DNS serves for its name, or deletes its own account. Both authenticate exactly as
 * /update does (same chain, same 401, allowfrom applies), since reading the values and deleting
 * the account are no less sensitive than writing a value.
 */
import type { Accounts } from '../../accounts';
import type { Handler } from '../context';
import { jsonReply } from '../http/reply';
import { authorise } from './authorise';

/** What the account routes need. */
export interface AccountDeps {
  /** Authentication under the limits, the values, the deletion. */
  readonly accounts: Accounts;
  /** The zone, for `fulldomain`. */
  readonly domain: string;
}

/** Unix seconds as the ISO 8601 text JSON carries times in. */
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

/**
 * GET /account: 200 with the account's name, allowfrom and live TXT values (newest first), the
 * same values with the time each was written (`values`), and the newest of those times
 * (`lastUpdate`, null without values: the store's "last update" is that of a live value, as in
 * `acmedns accounts`); never the key.
 */
export function getAccountHandler(deps: AccountDeps): Handler {
  return async (ctx) => {
    const { account } = await authorise(deps.accounts, ctx);
    // One read for both lists, so `txt` and `values` always agree.
    const live = await deps.accounts.valueTimes(account);
    const newest = live.reduce<number | null>((max, v) => (max === null || v.updatedAt > max ? v.updatedAt : max), null);
    return jsonReply(
      200,
      JSON.stringify({
        username: account.username,
        subdomain: account.subdomain,
        fulldomain: `${account.subdomain}.${deps.domain}`,
        allowfrom: account.allowFrom,
        txt: live.map((v) => v.value),
        values: live.map((v) => ({ value: v.value, updatedAt: iso(v.updatedAt) })),
        lastUpdate: newest === null ? null : iso(newest),
      }),
    );
  };
}

/**
 * DELETE /account: 204 once the account and its values are gone; from then on its name is
 * NXDOMAIN and its credentials get 401. Deleted meanwhile by another request: 401 as well.
 */
export function deleteAccountHandler(deps: AccountDeps): Handler {
  return async (ctx) => {
    const { account } = await authorise(deps.accounts, ctx);
    // Deleted meanwhile: AccountGoneError, one more 401 (errors.ts).
    await deps.accounts.deleteAccount(account.username, { actor: 'api', client: ctx.client.text });
    return { status: 204, headers: {}, body: '' };
  };
}
