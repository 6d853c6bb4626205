/**
 * GET and DELETE /account (ours; acme-dns has neither: its #177, #434): an authenticated client
 * reads what DNS serves for its name, or deletes its own account. Both authenticate exactly as
 * /update does (same chain, same 401, allowfrom applies), since reading the values and deleting
 * the account are no less sensitive than writing a value.
 */
import { ApiError } from '../../core/errors';
import type { AccountStore, ZoneReads } from '../../store/types';
import type { AuthGate } from '../auth-gate';
import type { Handler, RequestContext } from '../context';
import { jsonReply } from '../reply';
import type { Account } from '../../core/types';

/** What the account routes need. */
export interface AccountDeps {
  readonly store: AccountStore & Pick<ZoneReads, 'lookup'>;
  /** Authentication under the limits. */
  readonly gate: AuthGate;
  /** The zone, for `fulldomain`. */
  readonly domain: string;
  /** Current time in seconds (which values are still live). */
  readonly now: () => number;
}

/** Reads (and size-checks) any body so none sits unread, then runs /update's authentication chain. */
async function authorise(gate: AuthGate, ctx: RequestContext): Promise<Account> {
  await ctx.body();
  return gate.authorise(ctx, { user: ctx.header('x-api-user'), key: ctx.header('x-api-key') });
}

/** GET /account: 200 with the account's name, allowfrom and live TXT values (newest first); never the key. */
export function getAccountHandler(deps: AccountDeps): Handler {
  return async (ctx) => {
    const account = await authorise(deps.gate, ctx);
    const data = await deps.store.lookup(account.subdomain, deps.now());
    return jsonReply(
      200,
      JSON.stringify({
        username: account.username,
        subdomain: account.subdomain,
        fulldomain: `${account.subdomain}.${deps.domain}`,
        allowfrom: account.allowFrom,
        txt: data?.values ?? [],
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
    const account = await authorise(deps.gate, ctx);
    const deleted = await deps.store.deleteAccount(account.username, { actor: 'api', client: ctx.client.text });
    if (!deleted) throw new ApiError('forbidden', 'account deleted meanwhile');
    return { status: 204, headers: {}, body: '' };
  };
}
