/**
 * An account's allowfrom column as acme-dns read it (json.Unmarshal into []string, then
 * ValidEntries at every /update), turned into the list our store keeps: validated and capped
 * once, at import, so no request pays for a hostile list again.
 */
import { isValidAllowFrom, MAX_ALLOWFROM, sanitizeAllowFrom } from '../core/validation';
import { text } from './columns';

/**
 * The allowfrom given to an account whose stored list acme-dns could not read: it refused every
 * /update for it (getModelFromRow returns the JSON error, so Auth fails). Both ranges hold only an
 * unspecified address (RFC 1122 §3.2.1.3, RFC 4291 §2.5.2), which is never a client's source
 * address, so the account stays locked as it was, until an operator sets a real list.
 */
export const LOCKED_ALLOWFROM: readonly string[] = ['0.0.0.0/32', '::/128'];

/** What became of one account's allowfrom column. */
export interface ImportedAllowFrom {
  /** The list to store. */
  readonly list: readonly string[];
  /** Why the account is imported locked: the column does not unmarshal, or it holds too many ranges. */
  readonly locked: false | 'unreadable' | 'too-many';
  /** Valid ranges in the column (before the cap). */
  readonly valid: number;
  /** Entries that are not CIDRs, dropped (acme-dns ignored them at every check; the result is the same). */
  readonly dropped: readonly string[];
}

const unreadable: ImportedAllowFrom = { list: LOCKED_ALLOWFROM, locked: 'unreadable', valid: 0, dropped: [] };

/**
 * `null` is an empty list (allowed from anywhere); anything that does not unmarshal (NULL column,
 * bad JSON, not a list of strings) made acme-dns refuse the account, so it stays refused. Brackets
 * go, as sanitizeIPv6addr does. Invalid entries are dropped: acme-dns skipped them, so the list
 * means the same without them (one of only invalid entries restricted nothing, and [] neither).
 * More than MAX_ALLOWFROM valid ranges: imported locked rather than cut, since any cut would
 * pick arbitrarily which clients lose access; the operator sets the list that is meant.
 */
export function parseAllowFrom(v: unknown): ImportedAllowFrom {
  const s = text(v);
  if (s === undefined) return unreadable;
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch {
    return unreadable;
  }
  if (parsed === null) return { list: [], locked: false, valid: 0, dropped: [] };
  if (!Array.isArray(parsed) || !parsed.every((e): e is string => typeof e === 'string')) return unreadable;
  const list: string[] = [];
  const dropped: string[] = [];
  for (const entry of parsed) {
    if (isValidAllowFrom(entry)) list.push(sanitizeAllowFrom(entry));
    else dropped.push(entry);
  }
  if (list.length > MAX_ALLOWFROM) return { list: LOCKED_ALLOWFROM, locked: 'too-many', valid: list.length, dropped };
  return { list, locked: false, valid: list.length, dropped };
}
