/**
 * GET and DELETE /account (ours; acme-dns has neither: its #177, #434): an authenticated client
 * reads what DNS serves for its name, or deletes its own account. Both authenticate exactly as
 * /update does (same chain, same 401, allowfrom applies), since reading the values and deleting
 * the account are no less sensitive than writing a value.
 */
import type { Accounts } from '../../accounts';
import type { Account } from '../../core/types';
import type { Handler, RequestContext } from '../context';
import { jsonReply } from '../http/reply';

/** What the account routes need. */
export interface AccountDeps {
  /** Authentication under the limits, the values, the deletion. */
  readonly accounts: Accounts;
  /** The zone, for `fulldomain`. */
  readonly domain: string;
}

/** Reads (and size-checks) any body so none sits unread, then runs /update's authentication chain. */
async function authorise(accounts: Accounts, ctx: RequestContext): Promise<Account> {
  await ctx.body();
  return accounts.authenticate(ctx.client, { user: ctx.header('x-api-user'), key: ctx.header('x-api-key') });
}

/** GET /account: 200 with the account's name, allowfrom and live TXT values (newest first); never the key. */
export function getAccountHandler(deps: AccountDeps): Handler {
  return async (ctx) => {
    const account = await authorise(deps.accounts, ctx);
    const txt = await deps.accounts.liveValues(account);
    return jsonReply(
      200,
      JSON.stringify({
        username: account.username,
        subdomain: account.subdomain,
        fulldomain: `${account.subdomain}.${deps.domain}`,
        allowfrom: account.allowFrom,
        txt,
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
    const account = await authorise(deps.accounts, ctx);
    // Deleted meanwhile: AccountGoneError, one more 401 (errors.ts).
    await deps.accounts.deleteAccount(account.username, { actor: 'api', client: ctx.client.text });
    return { status: 204, headers: {}, body: '' };
  };
}
