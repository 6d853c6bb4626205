/**
 * One acme-dns account, as read, becomes one ImportEntry for our store. The rule throughout: what
 * acme-dns let a client do keeps working, nothing acme-dns refused becomes possible, and every
 * difference is reported (acme-dns db.go, auth.go, validation.go; reference §2, §6).
 */
import { displayText } from '../core/display';
import { isValidSubdomain, isValidTxt, MAX_ALLOWFROM } from '../core/validation';
import { parseUuid } from '../core/uuid';
import type { ImportEntry } from '../store';
import { LOCKED_ALLOWFROM, parseAllowFrom } from './allowfrom';
import { BCRYPT, passwordHash, text } from './columns';
import { importTime } from './times';
import type { SourceAccount } from './types';

export { LOCKED_ALLOWFROM, parseAllowFrom } from './allowfrom';
export { passwordHash, text } from './columns';

/** What the summary reports about one account; `username` is as stored in acme-dns. */
export type IssueKind =
  | 'bad-username'
  | 'bad-subdomain'
  | 'case-collision'
  | 'locked-allowfrom'
  | 'too-many-allowfrom'
  | 'invalid-allowfrom'
  | 'bad-hash'
  | 'bad-value'
  | 'bad-time'
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
  /** The import's time: no imported value is newer. */
  readonly nowSeconds: number;
  /** txt.max_age in seconds; 0 keeps values forever. */
  readonly maxAgeSeconds: number;
  /** Usernames not imported because their subdomain collides in case with another's (with the why). */
  readonly caseLosers: ReadonlyMap<string, string>;
}

/** A name or value quoted for the summary: control characters escaped, long text cut. */
function quote(s: string, max?: number): string {
  return `"${displayText(s, max)}"`;
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
  if (!isValidSubdomain(subdomain)) return skip('bad-subdomain', `subdomain ${quote(subdomain)} is not a DNS label: acme-dns refused every update (bad_subdomain)`);
  const loser = ctx.caseLosers.get(stored);
  if (loser !== undefined) return skip('case-collision', loser);

  const allow = parseAllowFrom(source.allowfrom);
  const raw = text(source.allowfrom);
  if (allow.locked === 'unreadable') {
    issue('locked-allowfrom', `allowfrom ${raw === undefined ? 'NULL' : quote(raw, 60)} is not a JSON list: acme-dns refused every update; imported locked (allowfrom ${JSON.stringify(LOCKED_ALLOWFROM)})`);
  } else if (allow.locked === 'too-many') {
    issue('too-many-allowfrom', `allowfrom holds ${allow.valid} ranges, more than ${MAX_ALLOWFROM}: imported locked (allowfrom ${JSON.stringify(LOCKED_ALLOWFROM)})`);
  }
  if (allow.dropped.length > 0) {
    const shown = allow.dropped.slice(0, 3).map((e) => quote(e, 40)).join(', ');
    const more = allow.dropped.length > 3 ? ` and ${allow.dropped.length - 3} more` : '';
    issue('invalid-allowfrom', `${allow.dropped.length} allowfrom ${allow.dropped.length === 1 ? 'entry is' : 'entries are'} not a CIDR (${shown}${more}): dropped, as acme-dns ignored them`);
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
      issue('bad-value', `TXT value ${quote(value, 60)} is not 43 base64url characters: skipped`);
      continue;
    }
    const time = importTime(row.lastupdate, ctx.nowSeconds);
    if (time.problem !== undefined) {
      const stored = quote(text(row.lastupdate) ?? typeof row.lastupdate, 40);
      issue(
        'bad-time',
        time.problem === 'future'
          ? `LastUpdate ${stored} of ${value} is later than the import: imported as updated now`
          : `LastUpdate ${stored} of ${value} is not a time: imported as never updated (0)`,
      );
    }
    const updatedAt = time.seconds;
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
        `subdomain ${quote(a.subdomain)} differs only in case from ${quote(winner.subdomain)} (account ${displayText(winner.username)}), ` +
          'which DNS cannot tell apart: not imported',
      );
    }
  }
  return losers;
}
