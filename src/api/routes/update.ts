/**
 * POST /update (acme-dns auth.go + update.go): authenticate and check allowfrom (under the limits), only then decode
 * the body; the accounts service requires the account's own subdomain, validates and stores the
 * value, and the 200 goes out only once the store has it durably (every instance reading the store then serves it).
 */
import type { Accounts } from '../../accounts';
import type { Handler } from '../context';
import { decodeUpdateBody } from '../bodies/acme-dns';
import { jsonReply } from '../http/reply';

/** What an update needs. */
export interface UpdateDeps {
  /** Authentication under the limits, and the write under the account's budget. */
  readonly accounts: Accounts;
}

/** The update handler: 200 `{"txt": "<value>"}` (acme.sh greps for the quoted value). */
export function updateHandler(deps: UpdateDeps): Handler {
  return async (ctx) => {
    // Read (and size-check) the body first so that an over-long body never sits unread, but
    // decode it only after authentication, as acme-dns does.
    const raw = await ctx.body();
    const account = await deps.accounts.authenticate(ctx.client, { user: ctx.header('x-api-user'), key: ctx.header('x-api-key') });
    const { subdomain, txt } = decodeUpdateBody(raw);
    await deps.accounts.putTxt(account, { subdomain, txt }, { actor: 'api', client: ctx.client.text });
    return jsonReply(200, `{"txt": "${txt}"}`);
  };
}
