/**
 * Creating an account as acme-dns's /register does (register.go), shared by the route and by
 * `acmedns accounts create`, so both answer with exactly the same JSON.
 */
import { displayText } from '../core/display';
import { InvalidAllowFromError } from '../core/errors';
import { generateCredentials, hashPassword } from '../core/credentials';
import { isValidAllowFrom, MAX_ALLOWFROM, sanitizeAllowFrom } from '../core/validation';
import type { AccountsStore, AuditContext } from '../store/types';

/**
 * Each allowfrom entry must be a Go CIDR (brackets tolerated), and there may be at most
 * MAX_ALLOWFROM of them; InvalidAllowFromError otherwise (the API answers it with the body
 * acme-dns's clients already know for a list it refuses, reference §1.1). Returns the list as stored.
 */
export function checkAllowFrom(allowFrom: readonly string[]): string[] {
  if (allowFrom.length > MAX_ALLOWFROM) {
    throw new InvalidAllowFromError(`${allowFrom.length} entries, more than ${MAX_ALLOWFROM}`);
  }
  const bad = allowFrom.find((e) => !isValidAllowFrom(e));
  if (bad !== undefined) throw new InvalidAllowFromError(`not a CIDR: "${displayText(bad)}"`);
  return allowFrom.map(sanitizeAllowFrom);
}

/**
 * A new account as its one answer shows it, with the only copy of the plain password. The key
 * order is part of the contract (acme.sh's `sed` and the Go clients parse the JSON; reference
 * §1.1), so registrationJson keeps it.
 */
export interface NewAccount {
  readonly username: string;
  readonly password: string;
  readonly fulldomain: string;
  readonly subdomain: string;
  readonly allowfrom: readonly string[];
}

/** New random credentials, stored with a bcrypt hash (and audited). */
export async function register(
  store: Pick<AccountsStore, 'createAccount'>,
  domain: string,
  allowFrom: readonly string[],
  audit: AuditContext,
): Promise<NewAccount> {
  const entries = checkAllowFrom(allowFrom);
  const creds = generateCredentials();
  const passwordHash = await hashPassword(creds.password);
  await store.createAccount({ username: creds.username, passwordHash, subdomain: creds.subdomain, allowFrom: entries }, audit);
  return {
    username: creds.username,
    password: creds.password,
    fulldomain: `${creds.subdomain}.${domain}`,
    subdomain: creds.subdomain,
    allowfrom: entries,
  };
}

/** The compact JSON of a new account, built field by field so the order never depends on the object. */
export function registrationJson(created: NewAccount): string {
  const { username, password, fulldomain, subdomain, allowfrom } = created;
  return JSON.stringify({ username, password, fulldomain, subdomain, allowfrom });
}
