/**
 * POST /register (acme-dns register.go): body -> allowfrom, each entry a Go CIDR, new random
 * credentials, stored with a bcrypt hash, answered once with the plain password.
 */
import type { AccountStore } from '../../store/types';
import type { Handler } from '../context';
import { decodeRegisterBody } from '../decode';
import { registerAccount } from '../registration';
import { jsonReply } from '../reply';

/** What registration needs. */
export interface RegisterDeps {
  readonly store: AccountStore;
  /** The zone; `fulldomain` is `subdomain + "." + domain`, exactly as configured. */
  readonly domain: string;
}

/** The register handler: 201 with the compact JSON acme.sh's `sed` and the Go clients parse. */
export function registerHandler(deps: RegisterDeps): Handler {
  return async (ctx) => {
    const { allowFrom } = decodeRegisterBody(await ctx.body());
    const body = await registerAccount(deps.store, deps.domain, allowFrom, { actor: 'api', client: ctx.client.text });
    return jsonReply(201, body);
  };
}
