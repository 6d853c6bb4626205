/**
 * DELETE /account/txt and POST /account/key (ours, for the self-service page): an account clears
 * its own values, or replaces its own key. Authenticated exactly as /update (same chain, same 401,
 * allowfrom); both change the account, so both spend its write budget and are audited (accounts/).
 */
import type { Accounts } from '../../accounts';
import type { Handler } from '../context';
import { jsonReply } from '../http/reply';
import { authorise } from './authorise';

/** What these routes need. */
export interface AccountSelfDeps {
  readonly accounts: Accounts;
}

/** DELETE /account/txt: 204 once no value is left; DNS stops serving them at once (NODATA). */
export function clearTxtHandler(deps: AccountSelfDeps): Handler {
  return async (ctx) => {
    const { account } = await authorise(deps.accounts, ctx);
    await deps.accounts.clearOwnTxt(account, { actor: 'api', client: ctx.client.text });
    return { status: 204, headers: {}, body: '' };
  };
}

/** POST /account/key: 200 with the new key, shown this once; the old key gets 401 from then on. */
export function rotateKeyHandler(deps: AccountSelfDeps): Handler {
  return async (ctx) => {
    const { account } = await authorise(deps.accounts, ctx);
    const password = await deps.accounts.rotateOwnKey(account, { actor: 'api', client: ctx.client.text });
    const reply = jsonReply(200, JSON.stringify({ username: account.username, password }));
    // A secret: no cache on the way may keep it (RFC 9111 §5.2.2.5).
    return { ...reply, headers: { ...reply.headers, 'Cache-Control': 'no-store' } };
  };
}
