/**
 * POST /update (acme-dns auth.go + update.go): authenticate and check allowfrom (under the limits), only then decode
 * the body and require the account's own subdomain; then validate and store the value, and answer
 * 200 only once the store has it durably (every instance reading the store then serves it).
 */
import { ApiError } from '../../core/errors';
import { isValidSubdomain, isValidTxt } from '../../core/validation';
import type { AccountStore } from '../../store/types';
import { requireOwnSubdomain } from '../auth';
import type { AuthGate } from '../auth-gate';
import type { Handler } from '../context';
import { decodeUpdateBody } from '../decode';
import { jsonReply } from '../reply';

/** What an update needs. */
export interface UpdateDeps {
  readonly store: AccountStore;
  /** Authentication under the limits, and each account's write budget. */
  readonly gate: AuthGate;
  /** Current time in seconds. */
  readonly now: () => number;
}

/** The update handler: 200 `{"txt": "<value>"}` (acme.sh greps for the quoted value). */
export function updateHandler(deps: UpdateDeps): Handler {
  return async (ctx) => {
    // Read (and size-check) the body first so that an over-long body never sits unread, but
    // decode it only after authentication, as acme-dns does.
    const raw = await ctx.body();
    const account = await deps.gate.authorise(ctx, { user: ctx.header('x-api-user'), key: ctx.header('x-api-key') });
    const { subdomain, txt } = decodeUpdateBody(raw);
    requireOwnSubdomain(account, subdomain);
    if (!isValidSubdomain(subdomain)) throw new ApiError('bad_subdomain', `stored subdomain ${JSON.stringify(subdomain)}`);
    if (!isValidTxt(txt)) throw new ApiError('bad_txt', `txt of ${txt.length} characters`);
    deps.gate.beforeWrite(account);
    await deps.store.putTxt(account.subdomain, txt, deps.now(), { actor: 'api', client: ctx.client.text });
    return jsonReply(200, `{"txt": "${txt}"}`);
  };
}
