/** An acme-dns account: the credentials a client holds and the one name it may update. */
export interface Account {
  /** Canonical lower-case UUID, the `X-Api-User` value. */
  readonly username: string;
  /** bcrypt hash of the 40-character key (`$2a$`/`$2b$`, cost 10). */
  readonly passwordHash: string;
  /** The label under the zone, as registered (normally a lower-case UUID). */
  readonly subdomain: string;
  /** CIDR ranges the account may update from; empty means anywhere. */
  readonly allowFrom: readonly string[];
}

/** How many TXT values an account keeps and for how long (our addition; acme-dns keeps 2, forever). */
export interface TxtPolicy {
  /** Newest values kept per account. */
  readonly keep: number;
  /** Values older than this many seconds are neither served nor kept; 0 keeps them forever. */
  readonly maxAgeSeconds: number;
}

/** What the DNS side needs to know about one account name. */
export interface NameData {
  /** Live TXT values, newest first. */
  readonly values: readonly string[];
}

/** The key by which a subdomain is looked up: DNS names match case-insensitively (RFC 4343). */
export function subdomainKey(subdomain: string): string {
  return subdomain.toLowerCase();
}
