/**
 * Parsed allowfrom lists, remembered: /update, GET /account and lego's httpreq check the client
 * against the account's ranges on every request, and parsing is the costly part (a 200,000-entry
 * list took 0.6 s a request). Accounts change their list rarely, so each distinct list is parsed
 * once and kept, least recently used first out, within a bound on the text it holds.
 */
import { parseCidrList, type Cidr } from './cidr';
import { sanitizeAllowFrom } from './validation';

/** The parsed ranges of allowfrom lists, by their exact content. */
export interface AllowListCache {
  /** The valid ranges of `list` (brackets removed, invalid entries skipped, as acme-dns's ValidEntries). */
  ranges(list: readonly string[]): readonly Cidr[];
  /** Lists held now (for tests). */
  readonly size: number;
}

/** How much the cache may hold. */
export interface AllowListCacheLimits {
  /** Distinct lists kept. */
  readonly lists: number;
  /** Characters of list text kept, summed over the lists: parsed ranges take memory in proportion. */
  readonly chars: number;
}

/** Enough for every account of a large instance (one list per account at most), a few MB at worst. */
export const DEFAULT_ALLOW_LIST_LIMITS: AllowListCacheLimits = { lists: 10_000, chars: 4_000_000 };

/**
 * A bounded LRU cache keyed by the list's JSON text: a changed list is a different key, so it is
 * parsed anew, and JSON (unlike joining with a separator) cannot make two different lists one key.
 */
export function createAllowListCache(limits: AllowListCacheLimits = DEFAULT_ALLOW_LIST_LIMITS): AllowListCache {
  const entries = new Map<string, readonly Cidr[]>();
  let chars = 0;
  const parse = (list: readonly string[]): readonly Cidr[] => parseCidrList(list.map(sanitizeAllowFrom));
  return {
    ranges(list) {
      // The common case, no restriction, costs nothing and takes no room.
      if (list.length === 0) return [];
      const key = JSON.stringify(list);
      const hit = entries.get(key);
      if (hit !== undefined) {
        // Map keeps insertion order: re-inserting makes this the most recently used.
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const ranges = parse(list);
      if (key.length > limits.chars) return ranges;
      entries.set(key, ranges);
      chars += key.length;
      for (const [oldest] of entries) {
        if (entries.size <= limits.lists && chars <= limits.chars) break;
        entries.delete(oldest);
        chars -= oldest.length;
      }
      return ranges;
    },
    get size() {
      return entries.size;
    },
  };
}
