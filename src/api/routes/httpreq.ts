/**
 * POST /present and POST /cleanup: lego's httpreq protocol on acme-dns accounts, for lego builds
 * without the acme-dns provider (Debian's). Authentication is /update's chain exactly (same 401,
 * allowfrom, the dummy compare), with the credentials in HTTP Basic instead of X-Api-User/Key.
 * The account's own name is the one changed, whatever `fqdn` says: the client has followed its
 * CNAME (or not), and the name an account may write is fixed by the account alone.
 */
import { ApiError } from '../../core/errors';
import { isValidTxt } from '../../core/validation';
import type { Account } from '../../core/types';
import type { AccountStore } from '../../store/types';
import type { AuthGate } from '../auth-gate';
import type { Handler, RequestContext } from '../context';
import { basicCredentials, decodeHttpreqBody, type HttpreqBody } from '../httpreq-body';
import { jsonReply } from '../reply';

/** What the httpreq routes need. */
export interface HttpreqDeps {
  readonly store: AccountStore;
  /** Authentication under the limits, and each account's write budget. */
  readonly gate: AuthGate;
  /** The zone, for the name reported back. */
  readonly domain: string;
  /** Current time in seconds. */
  readonly now: () => number;
}

/** Body read first (never left unread), decoded only after authentication, as /update does. */
async function authorise(gate: AuthGate, ctx: RequestContext): Promise<{ account: Account; body: HttpreqBody }> {
  const raw = await ctx.body();
  const account = await gate.authorise(ctx, basicCredentials(ctx.header('authorization')));
  const body = decodeHttpreqBody(raw);
  if (!isValidTxt(body.value)) throw new ApiError('bad_txt', `value of ${body.value.length} characters`);
  return { account, body };
}

/** The name that serves the account's values, as a client would write it (absolute). */
function served(account: Account, domain: string): string {
  return `${account.subdomain}.${domain}.`;
}

/** /present: adds the value to the account's name; 200 once the store has it durably. */
export function presentHandler(deps: HttpreqDeps): Handler {
  return async (ctx) => {
    const { account, body } = await authorise(deps.gate, ctx);
    deps.gate.beforeWrite(account);
    await deps.store.putTxt(account.subdomain, body.value, deps.now(), { actor: 'api', client: ctx.client.text });
    return jsonReply(200, JSON.stringify({ fqdn: served(account, deps.domain), value: body.value }));
  };
}

/** /cleanup: removes that one value (other values of the name stay); 200 also when it was gone already. */
export function cleanupHandler(deps: HttpreqDeps): Handler {
  return async (ctx) => {
    const { account, body } = await authorise(deps.gate, ctx);
    deps.gate.beforeWrite(account);
    const removed = await deps.store.removeTxt(account.subdomain, body.value, { actor: 'api', client: ctx.client.text });
    return jsonReply(200, JSON.stringify({ fqdn: served(account, deps.domain), value: body.value, removed }));
  };
}
