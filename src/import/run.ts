import { displayText } from '../core/display';
import type { Account } from '../core/types';
import type { AuditContext, ImportEntry, ImportPort } from '../store';
import { convertAccount, resolveCaseCollisions, type ImportIssue } from './convert';
import { groupAccounts } from './group';
import type { AcmeDnsSource } from './types';

/** Everything the summary reports; every account read lands in exactly one of the account counts. */
export interface ImportReport {
  readonly source: { readonly where: string; readonly engine: 'sqlite' | 'postgres'; readonly dbVersion: string };
  readonly accounts: {
    readonly read: number;
    /** New in the store (0 in a dry run). */
    readonly created: number;
    /** Already in the store with the same hash, subdomain and allowfrom: nothing to do. */
    readonly present: number;
    /** Already in the store but different there (it was changed after an earlier import): left as it is. */
    readonly different: number;
    /** Not imported: the store has its subdomain under another username. */
    readonly taken: number;
    /** Not imported: unusable in acme-dns as well (see issues). */
    readonly skipped: number;
    /** Dry run: would be handed to the store. */
    readonly wouldImport: number;
  };
  readonly values: {
    /** Distinct valid values handed to the store (added unless already there). */
    readonly imported: number;
    /** Empty txt rows (never updated): nothing to import. */
    readonly empty: number;
    /** Imported but older than txt.max_age: kept, not served. */
    readonly stale: number;
    /** Beyond txt.keep for their account: the store keeps only the newest. */
    readonly beyondKeep: number;
    /** Not 43 base64url characters: skipped. */
    readonly invalid: number;
    /** Values of skipped accounts. */
    readonly ofSkipped: number;
    /** Non-empty txt rows whose subdomain belongs to no account (acme-dns never served them). */
    readonly orphaned: number;
  };
  /** Issues by kind, all of them counted. */
  readonly issueCounts: Readonly<Record<string, number>>;
  /** The first issues of each kind (at most `maxIssuesPerKind`), for the summary. */
  readonly issues: readonly ImportIssue[];
  readonly durationMs: number;
}

/** How an import runs. */
export interface ImportOptions {
  /** Accounts per store.importAccounts call (one transaction each). */
  readonly batchSize: number;
  /** txt.max_age and txt.keep of the target. */
  readonly maxAgeSeconds: number;
  readonly keep: number;
  readonly nowSeconds: number;
  /** Called after every batch with accounts done so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Issues kept per kind for the summary (all are counted). */
  readonly maxIssuesPerKind?: number;
  /** Who imports: each account created gets an `account.imported` audit entry; none without it. */
  readonly audit?: AuditContext;
}

/** Looks up existing accounts this many at a time (PostgreSQL: a few pool connections busy, not thousands queued). */
const VERIFY_CONCURRENCY = 50;

function sameAccount(a: Account, b: Account): boolean {
  return a.passwordHash === b.passwordHash && a.subdomain === b.subdomain && JSON.stringify(a.allowFrom) === JSON.stringify(b.allowFrom);
}

/**
 * Copies every account of `source` into `target` (or, with no target, only reads and checks: a dry
 * run). Batches go through store.importAccounts, which leaves existing usernames alone, so running
 * it again adds nothing twice. When a batch reports existing accounts, each is looked up to tell
 * "already imported" from "changed since" and from "subdomain taken by another account".
 */
export async function importFromSource(source: AcmeDnsSource, target: ImportPort | undefined, options: ImportOptions): Promise<ImportReport> {
  const started = Date.now();
  const stats = await source.stats();
  const caseLosers = resolveCaseCollisions(await source.caseCollisions());
  const ctx = { nowSeconds: options.nowSeconds, maxAgeSeconds: options.maxAgeSeconds, caseLosers };
  const limit = options.maxIssuesPerKind ?? 20;
  const a = { read: 0, created: 0, present: 0, different: 0, taken: 0, skipped: 0, wouldImport: 0 };
  const v = { imported: 0, empty: 0, stale: 0, beyondKeep: 0, invalid: 0, ofSkipped: 0, orphaned: 0 };
  let rowsSeen = 0;
  const issueCounts: Record<string, number> = {};
  const issues: ImportIssue[] = [];
  const report = (issue: ImportIssue): void => {
    const n = (issueCounts[issue.kind] ?? 0) + 1;
    issueCounts[issue.kind] = n;
    if (n <= limit) issues.push(issue);
  };

  options.onProgress?.(0, stats.accounts);
  for await (const accounts of groupAccounts(source.rows(options.batchSize), options.batchSize)) {
    const entries: ImportEntry[] = [];
    for (const account of accounts) {
      const c = convertAccount(account, ctx);
      a.read += 1;
      rowsSeen += c.values.rows;
      c.issues.forEach(report);
      v.empty += c.values.empty;
      v.invalid += c.values.invalid;
      if (c.entry === undefined) {
        a.skipped += 1;
        v.ofSkipped += c.values.rows;
        continue;
      }
      entries.push(c.entry);
      v.imported += c.values.imported;
      v.stale += c.values.stale;
      v.beyondKeep += Math.max(0, c.values.imported - options.keep);
    }
    if (target === undefined) {
      a.wouldImport += entries.length;
    } else if (entries.length > 0) {
      // Audited in the batch's own transaction: an account is in the store only with its entry.
      const result = await target.importAccounts(entries, options.audit);
      a.created += result.created;
      if (result.existing > 0) await classifyExisting(target, entries, result.created, a, report);
    }
    options.onProgress?.(a.read, Math.max(stats.accounts, a.read));
  }
  v.orphaned = Math.max(0, stats.values - rowsSeen);
  return {
    source: { where: source.where, engine: source.engine, dbVersion: source.dbVersion },
    accounts: a,
    values: v,
    issueCounts,
    issues,
    durationMs: Date.now() - started,
  };
}

/**
 * After a batch in which some usernames already existed: which ones, and in what state. An entry
 * whose username is absent afterwards was refused for its subdomain (another account has it).
 */
async function classifyExisting(
  target: ImportPort,
  entries: readonly ImportEntry[],
  created: number,
  a: { present: number; different: number; taken: number },
  report: (issue: ImportIssue) => void,
): Promise<void> {
  let found = 0;
  let different = 0;
  for (let i = 0; i < entries.length; i += VERIFY_CONCURRENCY) {
    const chunk = entries.slice(i, i + VERIFY_CONCURRENCY);
    const stored = await Promise.all(chunk.map((e) => target.findAccount(e.account.username)));
    chunk.forEach(({ account }, j) => {
      const there = stored[j];
      if (there === undefined) {
        a.taken += 1;
        report({ kind: 'subdomain-taken', username: account.username, detail: `subdomain "${displayText(account.subdomain)}" belongs to another account in the store: not imported` });
        return;
      }
      found += 1;
      if (sameAccount(there, account)) return;
      different += 1;
      report({ kind: 'different', username: account.username, detail: 'already in the store with other credentials, subdomain or allowfrom: left as it is' });
    });
  }
  // A found account was created by this batch (and equals its entry) or was there before.
  a.different += different;
  a.present += found - created - different;
}
