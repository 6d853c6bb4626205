/**
 * POST /register (acme-dns register.go): body -> allowfrom, each entry a Go CIDR, new random
 * credentials, stored with a bcrypt hash, answered once with the plain password.
 */
import { ApiError } from '../../core/errors';
import { generateCredentials, hashPassword } from '../../core/credentials';
import { isValidAllowFrom, sanitizeAllowFrom } from '../../core/validation';
import type { Store } from '../../store/types';
import type { Handler } from '../context';
import { decodeRegisterBody } from '../decode';
import { jsonReply } from '../reply';

/** What registration needs. */
export interface RegisterDeps {
  readonly store: Store;
  /** The zone; `fulldomain` is `subdomain + "." + domain`, exactly as configured. */
  readonly domain: string;
}

/** The register handler: 201 with the compact JSON acme.sh's `sed` and the Go clients parse. */
export function registerHandler(deps: RegisterDeps): Handler {
  return async (ctx) => {
    const { allowFrom } = decodeRegisterBody(await ctx.body());
    const bad = allowFrom.find((e) => !isValidAllowFrom(e));
    if (bad !== undefined) throw new ApiError('invalid_allowfrom_cidr', `not a CIDR: ${JSON.stringify(bad)}`);
    const entries = allowFrom.map(sanitizeAllowFrom);
    const creds = generateCredentials();
    const passwordHash = await hashPassword(creds.password);
    await deps.store.createAccount({
      username: creds.username,
      passwordHash,
      subdomain: creds.subdomain,
      allowFrom: entries,
    });
    // Key order and compactness are part of the contract (reference §1.1): build it explicitly.
    const body = JSON.stringify({
      username: creds.username,
      password: creds.password,
      fulldomain: `${creds.subdomain}.${deps.domain}`,
      subdomain: creds.subdomain,
      allowfrom: entries,
    });
    return jsonReply(201, body);
  };
}
