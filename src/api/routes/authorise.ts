/**
 * /update's authentication chain for every route of ours that takes X-Api-User and X-Api-Key:
 * the body is read (and size-checked) first so none sits unread, then the account is authenticated
 * under the limits with allowfrom checked; the body is decoded only after, as acme-dns does.
 */
import type { Accounts } from '../../accounts';
import type { Account } from '../../core/types';
import type { RequestContext } from '../context';

/** The signed-in account and the raw body, or the same 401 (or 429) /update answers. */
export async function authorise(accounts: Accounts, ctx: RequestContext): Promise<{ account: Account; raw: Buffer }> {
  const raw = await ctx.body();
  const account = await accounts.authenticate(ctx.client, { user: ctx.header('x-api-user'), key: ctx.header('x-api-key') });
  return { account, raw };
}
