import { displayText, escapeControls } from '../../core/display';
import type { ImportReport } from '../../import';

const number = new Intl.NumberFormat('en-US');

/** What each kind of issue means for the operator, said once above its examples. */
const ISSUE_TITLES: Readonly<Record<string, string>> = {
  'bad-username': 'not imported: the username is not a UUID',
  'bad-subdomain': 'not imported: the subdomain is not a DNS label',
  'case-collision': 'not imported: the subdomain differs only in case from another account\'s',
  'subdomain-taken': 'not imported: the store already has the subdomain under another username',
  different: 'already in the store, but different there: left as it is',
  'locked-allowfrom':
    'imported locked: acme-dns could not read their allowfrom and refused every update ' +
    '(once you know the right ranges: acmedns accounts set-allowfrom <username> <CIDR,...|none>)',
  'too-many-allowfrom':
    'imported locked: their allowfrom holds more ranges than one account may have ' +
    '(set the ranges that are meant: acmedns accounts set-allowfrom <username> <CIDR,...|none>)',
  'invalid-allowfrom': 'imported without the allowfrom entries that are not CIDRs (acme-dns ignored them too)',
  'bad-time': 'TXT values with an impossible LastUpdate: imported with the time clamped',
  'bad-hash': 'imported, but the password hash is not bcrypt (no key matches, as in acme-dns)',
  'bad-value': 'TXT values skipped: not 43 base64url characters',
};

/** `604800` -> `7 days`: how txt.max_age reads in a sentence. */
export function formatDuration(seconds: number): string {
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds % 86400 === 0) return plural(seconds / 86400, 'day');
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}

/** The policy the summary refers to when it says what will and will not be served. */
export interface SummaryPolicy {
  readonly target: string;
  readonly dryRun: boolean;
  readonly maxAgeSeconds: number;
  readonly keep: number;
}

/**
 * The end-of-run summary: where from and to, how long, every account in exactly one line of the
 * account table, what became of the TXT values, and the first examples of each kind of issue.
 */
export function formatSummary(r: ImportReport, p: SummaryPolicy): string {
  const lines: string[] = [];
  const n = (x: number): string => number.format(x);
  const seconds = r.durationMs / 1000;
  const rate = seconds > 0 ? `, ${n(Math.round(r.accounts.read / seconds))} accounts/s` : '';
  const engine = r.source.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  lines.push(
    p.dryRun
      ? `Dry run: read ${r.source.where} (acme-dns ${engine}, db_version ${r.source.dbVersion}); nothing was written to ${p.target}.`
      : `Imported ${r.source.where} (acme-dns ${engine}, db_version ${r.source.dbVersion}) into ${p.target}.`,
  );
  lines.push(`Time: ${seconds.toFixed(1)} s${rate}`);
  const row = (label: string, value: number): string => `  ${label.padEnd(34)}${n(value).padStart(12)}`;
  lines.push('', 'Accounts', row('read', r.accounts.read));
  if (p.dryRun) {
    lines.push(row('would be imported', r.accounts.wouldImport));
  } else {
    lines.push(row('created', r.accounts.created), row('already present (unchanged)', r.accounts.present));
    if (r.accounts.different > 0) lines.push(row('present but different (kept)', r.accounts.different));
    if (r.accounts.taken > 0) lines.push(row('subdomain taken (not imported)', r.accounts.taken));
  }
  lines.push(row('skipped (see below)', r.accounts.skipped));

  lines.push('', 'TXT values', row(p.dryRun ? 'would be imported' : 'imported (kept if already there)', r.values.imported));
  lines.push(row('empty rows (never updated)', r.values.empty));
  if (r.values.invalid > 0) lines.push(row('not valid TXT values (skipped)', r.values.invalid));
  if (r.values.ofSkipped > 0) lines.push(row('of skipped accounts', r.values.ofSkipped));
  if (r.values.orphaned > 0) lines.push(row('of no account (not imported)', r.values.orphaned));

  const notes: string[] = [];
  const values = (x: number): string => `${n(x)} ${x === 1 ? 'value' : 'values'}`;
  const were = (x: number): string => (x === 1 ? 'was' : 'were');
  if (r.values.stale > 0 && p.maxAgeSeconds > 0) {
    notes.push(
      `${values(r.values.stale)} older than max_age (txt.max_age = ${formatDuration(p.maxAgeSeconds)}) ${were(r.values.stale)} ` +
        'imported but will not be served.',
    );
  }
  if (r.values.beyondKeep > 0) {
    notes.push(`${values(r.values.beyondKeep)} beyond txt.keep = ${p.keep} per account ${were(r.values.beyondKeep)} dropped, the oldest first.`);
  }
  if (r.values.orphaned > 0) {
    notes.push(`${values(r.values.orphaned)} in txt rows of no account ${were(r.values.orphaned)} not imported (acme-dns never served them).`);
  }
  if (notes.length > 0) lines.push('', ...notes);

  for (const [kind, count] of Object.entries(r.issueCounts)) {
    lines.push('', `${n(count)} × ${ISSUE_TITLES[kind] ?? kind}:`);
    const shown = r.issues.filter((i) => i.kind === kind);
    // Names come from the source database: escaped and cut, so no row can rewrite the terminal.
    for (const i of shown) lines.push(`  ${displayText(i.username)}: ${escapeControls(i.detail)}`);
    if (count > shown.length) lines.push(`  … and ${n(count - shown.length)} more`);
  }
  return `${lines.join('\n')}\n`;
}
