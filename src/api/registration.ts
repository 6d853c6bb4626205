/**
 * Creating an account as acme-dns's /register does (register.go), shared by the route and by
 * `acmedns accounts create`, so both answer with exactly the same JSON.
 */
import { displayText } from '../core/display';
import { ApiError } from '../core/errors';
import { generateCredentials, hashPassword } from '../core/credentials';
import { isValidAllowFrom, MAX_ALLOWFROM, sanitizeAllowFrom } from '../core/validation';
import type { AccountStore, AuditContext } from '../store/types';

/**
 * Each allowfrom entry must be a Go CIDR (brackets tolerated), and there may be at most
 * MAX_ALLOWFROM of them; ApiError invalid_allowfrom_cidr otherwise (the body acme-dns's clients
 * already know for a list it refuses, reference §1.1).
 */
export function checkAllowFrom(allowFrom: readonly string[]): string[] {
  if (allowFrom.length > MAX_ALLOWFROM) {
    throw new ApiError('invalid_allowfrom_cidr', `${allowFrom.length} entries, more than ${MAX_ALLOWFROM}`);
  }
  const bad = allowFrom.find((e) => !isValidAllowFrom(e));
  if (bad !== undefined) throw new ApiError('invalid_allowfrom_cidr', `not a CIDR: "${displayText(bad)}"`);
  return allowFrom.map(sanitizeAllowFrom);
}

/**
 * New random credentials, stored with a bcrypt hash (and audited); returns the one body that
 * ever holds the plain password. Key order and compactness are part of the contract (acme.sh's
 * `sed` and the Go clients parse it; reference §1.1), so it is built explicitly.
 */
export async function registerAccount(
  store: AccountStore,
  domain: string,
  allowFrom: readonly string[],
  audit: AuditContext,
): Promise<string> {
  const entries = checkAllowFrom(allowFrom);
  const creds = generateCredentials();
  const passwordHash = await hashPassword(creds.password);
  await store.createAccount({ username: creds.username, passwordHash, subdomain: creds.subdomain, allowFrom: entries }, audit);
  return JSON.stringify({
    username: creds.username,
    password: creds.password,
    fulldomain: `${creds.subdomain}.${domain}`,
    subdomain: creds.subdomain,
    allowfrom: entries,
  });
}
