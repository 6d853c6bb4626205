/**
 * What an acme-dns database holds, as read (acme-dns db.go, reference §6): one joined row per
 * account and txt row, and the accounts those rows make. Values are raw, not yet validated.
 */

/** One row of `records LEFT JOIN txt`: the account's columns, then one of its txt rows (or NULLs). */
export interface SourceRow {
  readonly username: unknown;
  /** bcrypt hash: a BLOB in SQLite (Go binds []byte), text in PostgreSQL. */
  readonly password: unknown;
  readonly subdomain: unknown;
  /** JSON array of CIDR strings; may be NULL in hand-made rows. */
  readonly allowfrom: unknown;
  /** NULL when the account has no txt row at all. */
  readonly value: unknown;
  /** Unix seconds; 0 or NULL means never updated. */
  readonly lastupdate: unknown;
}

/** One txt row of an account. */
export interface SourceTxt {
  readonly value: unknown;
  readonly lastupdate: unknown;
}

/** One account of the acme-dns database with all its txt rows, still unvalidated. */
export interface SourceAccount {
  readonly username: unknown;
  readonly password: unknown;
  readonly subdomain: unknown;
  readonly allowfrom: unknown;
  readonly txt: readonly SourceTxt[];
}

/** What is known before reading: for the progress bar and the "nothing lost" accounting. */
export interface SourceStats {
  /** Rows in `records`. */
  readonly accounts: number;
  /** txt rows with a non-empty value (the ones worth importing), whether or not an account owns them. */
  readonly values: number;
}

/** Two or more accounts whose subdomains differ only in case: DNS cannot tell them apart (RFC 4343). */
export interface CaseCollision {
  readonly username: string;
  readonly subdomain: string;
}

/** An opened acme-dns database (SQLite file or PostgreSQL), read inside one consistent snapshot. */
export interface AcmeDnsSource {
  /** Where it is, for messages: the file, or `postgres user@host:port/db` (never the password). */
  readonly where: string;
  /** The engine it was read from. */
  readonly engine: 'sqlite' | 'postgres';
  /** `acmedns.db_version` (always "1" here; other versions are refused at open). */
  readonly dbVersion: string;
  stats(): Promise<SourceStats>;
  /** Accounts whose subdomain shares its lower-case form with another account's. */
  caseCollisions(): Promise<readonly CaseCollision[]>;
  /** The joined rows, in subdomain order so one account's rows are adjacent, `size` at a time. */
  rows(size: number): AsyncIterable<readonly SourceRow[]>;
  /** Ends the snapshot and closes the file or connection; idempotent. */
  close(): Promise<void>;
}
