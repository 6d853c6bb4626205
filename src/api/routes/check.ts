/**
 * POST /account/check (ours, for the self-service page): `acmedns check-delegation` run by the
 * server for the signed-in account: the CNAME at `_acme-challenge.<domain>` and whether it leads to
 * THIS account, our zone's delegation and glue, each of our name servers asked directly. It makes
 * the server send DNS queries about a name the client picks, so it is authenticated as /update and
 * limited per account and per address (accounts/ admitDelegationCheck) before any query goes out.
 */
import type { Accounts } from '../../accounts';
import { checkDelegation, type DelegationDns } from '../../delegation';
import { decodeCheckBody } from '../bodies/check';
import type { Handler } from '../context';
import { jsonReply } from '../http/reply';
import { authorise } from './authorise';

/** What the check needs. */
export interface CheckDeps {
  readonly accounts: Accounts;
  /** Our zone (`general.domain`). */
  readonly zone: string;
  /** The DNS questions, through `api.check_resolvers` (node:dns; never our own DNS code). */
  readonly dns: DelegationDns;
}

/** The check handler: 200 with the findings, in the CLI's order and words, whether they pass or not. */
export function checkHandler(deps: CheckDeps): Handler {
  return async (ctx) => {
    const { account, raw } = await authorise(deps.accounts, ctx);
    // A bad body costs no check: decoded before the limits are spent.
    const domain = decodeCheckBody(raw);
    deps.accounts.admitDelegationCheck(ctx.client, account);
    const findings = await checkDelegation(deps.dns, {
      domain,
      zone: deps.zone,
      ownSubdomain: account.subdomain,
      account: async (label) => {
        const values = await deps.accounts.nameValues(label);
        return values === undefined ? undefined : { values };
      },
    });
    const reply = jsonReply(200, JSON.stringify({ domain, findings }));
    return { ...reply, headers: { ...reply.headers, 'Cache-Control': 'no-store' } };
  };
}
