/**
 * The data of the store's account-management surface (beyond acme-dns): account listings, and the
 * audit trail every change writes in the same transaction as the change. The methods that take
 * and return these are declared with their slices in types.ts.
 */

/** What changed; one audit entry per change. */
export type AuditAction =
  | 'account.created'
  /** Brought over from an acme-dns database by `acmedns import` (credentials kept, not made here). */
  | 'account.imported'
  | 'txt.updated'
  | 'txt.cleared'
  | 'txt.removed'
  | 'account.deleted'
  | 'password.rotated'
  | 'allowfrom.changed'
  /** A TSIG key was created for the account, or removed (issue 10). */
  | 'tsig.added'
  | 'tsig.removed';

/** Who made a change: a client through the HTTP API, an RFC 2136 UPDATE, or an operator on the command line. */
export type AuditActor = 'api' | 'rfc2136' | 'cli';

/** Passed to a changing method to have it audited; without it nothing is recorded. */
export interface AuditContext {
  readonly actor: AuditActor;
  /** The client address as the API resolved it (peer, or forwarded behind a trusted proxy). */
  readonly client?: string;
  /** The TSIG key an RFC 2136 UPDATE was signed with (its name goes into the entry's detail). */
  readonly key?: string;
  /** When, in Unix milliseconds; defaults to now (tests pin it). */
  readonly at?: number;
}

/** One recorded change. Never holds a secret, nor a TXT value. */
export interface AuditEntry {
  /** Increasing with every entry: the order of changes, also within one millisecond. */
  readonly id: number;
  /** Unix milliseconds. */
  readonly at: number;
  readonly action: AuditAction;
  readonly username: string;
  readonly subdomain: string;
  readonly client: string | null;
  readonly actor: AuditActor;
  /** A small JSON object with non-secret particulars (allowfrom, values removed), or null. */
  readonly detail: string | null;
}

/** Which audit entries to list, oldest first. */
export interface AuditQuery {
  /** Only this account's entries (canonical username). */
  readonly username?: string;
  /** Entries at or after this Unix millisecond. */
  readonly since?: number;
  /** Entries before this Unix millisecond. */
  readonly until?: number;
  /** Keyset pagination: entries with a larger id than this one. */
  readonly afterId?: number;
  readonly limit: number;
}

/** An account as listings show it: no password hash, plus its live TXT values' count and freshness. */
export interface AccountSummary {
  readonly username: string;
  readonly subdomain: string;
  readonly allowFrom: readonly string[];
  /** Unix seconds. */
  readonly createdAt: number;
  /** Values DNS serves now (within the policy's maximum age). */
  readonly liveValues: number;
  /** Unix seconds of the newest live value, or null when there is none. */
  readonly lastUpdate: number | null;
}

/** One TXT value DNS serves now, with when it was last written. */
export interface LiveTxtValue {
  readonly value: string;
  /** Unix seconds of the last /update (or import) of this value. */
  readonly updatedAt: number;
}

/** One page of accounts, by username. */
export interface AccountPage {
  /** Accounts with a username greater than this one (keyset pagination). */
  readonly after?: string;
  readonly limit: number;
  /** For the live-value cutoff; defaults to now. */
  readonly nowSeconds?: number;
}
