/**
 * POST /present and POST /cleanup: lego's httpreq protocol on acme-dns accounts, for lego builds
 * without the acme-dns provider (Debian's). Authentication is /update's chain exactly (same 401,
 * allowfrom, the dummy compare), with the credentials in HTTP Basic instead of X-Api-User/Key.
 * The account's own name is the one changed, whatever `fqdn` says: the client has followed its
 * CNAME (or not), and the name an account may write is fixed by the account alone.
 */
import type { Accounts } from '../../accounts';
import type { Account } from '../../core/types';
import type { Handler, RequestContext } from '../context';
import { basicCredentials, decodeHttpreqBody, type HttpreqBody } from '../bodies/httpreq';
import { jsonReply } from '../http/reply';

/** What the httpreq routes need. */
export interface HttpreqDeps {
  /** Authentication under the limits, and each account's write budget. */
  readonly accounts: Accounts;
  /** The zone, for the name reported back. */
  readonly domain: string;
}

/** Body read first (never left unread), decoded only after authentication, as /update does; the value is checked by the action. */
async function authorise(accounts: Accounts, ctx: RequestContext): Promise<{ account: Account; body: HttpreqBody }> {
  const raw = await ctx.body();
  const account = await accounts.authenticate(ctx.client, basicCredentials(ctx.header('authorization')));
  return { account, body: decodeHttpreqBody(raw) };
}

/** The name that serves the account's values, as a client would write it (absolute). */
function served(account: Account, domain: string): string {
  return `${account.subdomain}.${domain}.`;
}

/** /present: adds the value to the account's name; 200 once the store has it durably. */
export function presentHandler(deps: HttpreqDeps): Handler {
  return async (ctx) => {
    const { account, body } = await authorise(deps.accounts, ctx);
    await deps.accounts.putTxt(account, { txt: body.value }, { actor: 'api', client: ctx.client.text });
    return jsonReply(200, JSON.stringify({ fqdn: served(account, deps.domain), value: body.value }));
  };
}

/** /cleanup: removes that one value (other values of the name stay); 200 also when it was gone already. */
export function cleanupHandler(deps: HttpreqDeps): Handler {
  return async (ctx) => {
    const { account, body } = await authorise(deps.accounts, ctx);
    const removed = await deps.accounts.removeTxt(account, body.value, { actor: 'api', client: ctx.client.text });
    return jsonReply(200, JSON.stringify({ fqdn: served(account, deps.domain), value: body.value, removed }));
  };
}
