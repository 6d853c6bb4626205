/**
 * POST /register (acme-dns register.go): body -> allowfrom, each entry a Go CIDR, new random
 * credentials, stored with a bcrypt hash, answered once with the plain password.
 */
import { registrationJson, type Accounts } from '../../accounts';
import type { Handler } from '../context';
import { decodeRegisterBody } from '../bodies/acme-dns';
import { jsonReply } from '../http/reply';

/** What registration needs. */
export interface RegisterDeps {
  /** The registration limit and the action; `fulldomain` is `subdomain + "." + domain`, exactly as configured. */
  readonly accounts: Accounts;
}

/** The register handler: 201 with the compact JSON acme.sh's `sed` and the Go clients parse. */
export function registerHandler(deps: RegisterDeps): Handler {
  return async (ctx) => {
    // Every request counts, whatever its body: checked before the body is even read.
    deps.accounts.admitRegistration(ctx.client);
    const { allowFrom } = decodeRegisterBody(await ctx.body());
    const created = await deps.accounts.register(allowFrom, { actor: 'api', client: ctx.client.text });
    return jsonReply(201, registrationJson(created));
  };
}
