/**
 * One acme-dns account, as read, becomes one ImportEntry for our store. The rule throughout: what
 * acme-dns let a client do keeps working, nothing acme-dns refused becomes possible, and every
 * difference is reported (acme-dns db.go, auth.go, validation.go; reference §2, §6).
 */
import { isValidSubdomain, isValidTxt, sanitizeAllowFrom } from '../../core/validation';
import { parseUuid } from '../../core/uuid';
import type { ImportEntry } from '../types';
import type { SourceAccount } from './types';

/**
 * The allowfrom given to an account whose stored list acme-dns could not read: it refused every
 * /update for it (getModelFromRow returns the JSON error, so Auth fails). Both ranges hold only an
 * unspecified address (RFC 1122 §3.2.1.3, RFC 4291 §2.5.2), which is never a client's source
 * address, so the account stays locked as it was, until an operator sets a real list.
 */
export const LOCKED_ALLOWFROM: readonly string[] = ['0.0.0.0/32', '::/128'];

/** What the summary reports about one account; `username` is as stored in acme-dns. */
export type IssueKind =
  | 'bad-username'
  | 'bad-subdomain'
  | 'case-collision'
  | 'locked-allowfrom'
  | 'bad-hash'
  | 'bad-value'
  | 'subdomain-taken'
  | 'different';

/** One account (or one of its values) the import could not take over exactly. */
export interface ImportIssue {
  readonly kind: IssueKind;
  readonly username: string;
  readonly detail: string;
}

/** Counts of one account's txt rows. */
export interface ValueCounts {
  /** Non-empty txt rows of the account, whatever became of them (for the "nothing lost" sum). */
  readonly rows: number;
  /** Non-empty, valid and distinct: handed to the store. */
  readonly imported: number;
  /** Rows with '' (acme-dns makes two per account; never updated). */
  readonly empty: number;
  /** Imported, but older than txt.max_age: kept, not served. */
  readonly stale: number;
  /** Not 43 base64url characters: skipped (acme-dns's API never stores such a value). */
  readonly invalid: number;
}

/** The outcome for one account: an entry to import (or none: skipped) and what to report. */
export interface Converted {
  readonly entry: ImportEntry | undefined;
  readonly issues: readonly ImportIssue[];
  readonly values: ValueCounts;
}

/** What conversion needs to know beyond the account itself. */
export interface ConvertContext {
  readonly nowSeconds: number;
  /** txt.max_age in seconds; 0 keeps values forever. */
  readonly maxAgeSeconds: number;
  /** Usernames not imported because their subdomain collides in case with another's (with the why). */
  readonly caseLosers: ReadonlyMap<string, string>;
}

const BCRYPT = /^\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}$/;

/** Column text: SQLite hands BLOBs (Go's []byte) as Buffers, PostgreSQL TEXT as strings. */
export function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

/**
 * The bcrypt hash as stored. A BLOB (SQLite) is its UTF-8 bytes; should a driver ever have written
 * the bytes as a PostgreSQL bytea literal (`\x2432...`) into the TEXT column, that is decoded too.
 */
export function passwordHash(v: unknown): string {
  const s = text(v) ?? '';
  if (/^\\x(?:[0-9a-fA-F]{2})+$/.test(s)) {
    const decoded = Buffer.from(s.slice(2), 'hex').toString('utf8');
    if (BCRYPT.test(decoded)) return decoded;
  }
  return s;
}

/**
 * allowfrom as acme-dns reads it: json.Unmarshal into []string. `null` is an empty list (allowed
 * from anywhere); anything that does not unmarshal (NULL column, bad JSON, not a list of strings)
 * made acme-dns refuse the account, so it stays refused. Brackets go, as sanitizeIPv6addr does.
 */
export function parseAllowFrom(v: unknown): { list: readonly string[]; locked: boolean } {
  const s = text(v);
  if (s === undefined) return { list: LOCKED_ALLOWFROM, locked: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch {
    return { list: LOCKED_ALLOWFROM, locked: true };
  }
  if (parsed === null) return { list: [], locked: false };
  if (!Array.isArray(parsed) || !parsed.every((e): e is string => typeof e === 'string')) {
    return { list: LOCKED_ALLOWFROM, locked: true };
  }
  return { list: parsed.map(sanitizeAllowFrom), locked: false };
}

/** Converts one account; never throws (bad data becomes issues). */
export function convertAccount(source: SourceAccount, ctx: ConvertContext): Converted {
  const stored = text(source.username) ?? '';
  const subdomain = text(source.subdomain) ?? '';
  const issues: ImportIssue[] = [];
  const issue = (kind: IssueKind, detail: string): void => {
    issues.push({ kind, username: stored, detail });
  };
  const counts = { rows: 0, imported: 0, empty: 0, stale: 0, invalid: 0 };
  for (const row of source.txt) if (text(row.value)) counts.rows += 1;
  const skip = (kind: IssueKind, detail: string): Converted => {
    issue(kind, detail);
    return { entry: undefined, issues, values: counts };
  };

  // Clients send the UUID they were given; /update looks it up in canonical lower case (uuid.Parse).
  const username = parseUuid(stored);
  if (username === undefined) return skip('bad-username', 'username is not a UUID: no client can send it in X-Api-User');
  if (!isValidSubdomain(subdomain)) return skip('bad-subdomain', `subdomain "${subdomain}" is not a DNS label: acme-dns refused every update (bad_subdomain)`);
  const loser = ctx.caseLosers.get(stored);
  if (loser !== undefined) return skip('case-collision', loser);

  const allow = parseAllowFrom(source.allowfrom);
  if (allow.locked) {
    issue('locked-allowfrom', `allowfrom ${JSON.stringify(text(source.allowfrom) ?? null)} is not a JSON list: acme-dns refused every update; imported locked (allowfrom ${JSON.stringify(LOCKED_ALLOWFROM)})`);
  }
  const hash = passwordHash(source.password);
  if (!BCRYPT.test(hash)) issue('bad-hash', 'password is not a bcrypt hash: no key can match it, as in acme-dns');

  const values = new Map<string, number>();
  for (const row of source.txt) {
    const value = text(row.value);
    if (value === undefined) continue; // LEFT JOIN without a txt row
    if (value === '') {
      counts.empty += 1;
      continue;
    }
    if (!isValidTxt(value)) {
      counts.invalid += 1;
      issue('bad-value', `TXT value "${value.slice(0, 60)}" is not 43 base64url characters: skipped`);
      continue;
    }
    const updatedAt = Math.max(0, Math.floor(Number(row.lastupdate ?? 0)) || 0);
    values.set(value, Math.max(values.get(value) ?? 0, updatedAt));
  }
  const cutoff = ctx.maxAgeSeconds > 0 ? ctx.nowSeconds - ctx.maxAgeSeconds : -Infinity;
  for (const updatedAt of values.values()) if (updatedAt < cutoff) counts.stale += 1;
  counts.imported = values.size;

  return {
    entry: {
      account: { username, passwordHash: hash, subdomain, allowFrom: allow.list },
      values: [...values].map(([value, updatedAt]) => ({ value, updatedAt })),
    },
    issues,
    values: counts,
  };
}

/**
 * Accounts whose subdomains differ only in case cannot both exist here: DNS names match without
 * regard to case (RFC 4343), and acme-dns lower-cased the question, so it only ever served the
 * all-lower-case one. That one is kept (else the first by username); the others are reported.
 */
export function resolveCaseCollisions(
  collisions: readonly { readonly username: string; readonly subdomain: string }[],
): Map<string, string> {
  const groups = new Map<string, { username: string; subdomain: string }[]>();
  for (const c of collisions) {
    const key = c.subdomain.toLowerCase();
    const group = groups.get(key) ?? [];
    group.push({ username: c.username, subdomain: c.subdomain });
    groups.set(key, group);
  }
  const losers = new Map<string, string>();
  for (const group of groups.values()) {
    const sorted = [...group].sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
    const winner = sorted.find((a) => a.subdomain === a.subdomain.toLowerCase()) ?? sorted[0];
    if (!winner) continue;
    for (const a of sorted) {
      if (a === winner) continue;
      losers.set(
        a.username,
        `subdomain "${a.subdomain}" differs only in case from "${winner.subdomain}" (account ${winner.username}), ` +
          'which DNS cannot tell apart: not imported',
      );
    }
  }
  return losers;
}
