/**
 * `[rrl]` -> its slice: DNS response rate limiting on UDP (ours; acme-dns has none). Names and
 * defaults follow BIND's `rate-limit` (window 15, slip 2, prefixes /24 and /56, a table of
 * 20,000) and Knot's `mod-rrl` (`table-size`, `whitelist` here called `exempt`); off by default,
 * as in both.
 */
import { cidrList, duration, flag, int, section } from './fields';

const rrlKeys = {
  enabled: flag().default(false),
  // A validating CA or resolver asks a challenge name a few times a second at most (txt_ttl 1).
  responses_per_second: int(1, 1_000_000).default(20),
  // BIND allows 0-10; above that a real resolver waits too long for its hint to use TCP.
  slip: int(0, 10).default(2),
  window: duration(1, 3600).default(15),
  ipv4_prefix: int(0, 32).default(24),
  ipv6_prefix: int(0, 128).default(56),
  exempt: cidrList().default([]),
  // A group costs a few hundred bytes (its key holds the name): 20,000 stay within ~10 MB.
  table_size: int(1, 10_000_000).default(20_000),
};

/** The `[rrl]` section's schema. */
export const rrlSection = section('rrl', rrlKeys).transform((r) => ({
  enabled: r.enabled,
  /** Alike responses per second to one source prefix (an answer per name; NXDOMAIN; errors). */
  responsesPerSecond: r.responses_per_second,
  /** Every `slip`th limited response is sent truncated (TC=1) instead of dropped; 0 never, 1 every one. */
  slip: r.slip,
  /** How long a flood is remembered: after it stops, the prefix is answered again within this many seconds. */
  windowSeconds: r.window,
  /** Source prefix lengths that share one allowance. */
  ipv4Prefix: r.ipv4_prefix,
  ipv6Prefix: r.ipv6_prefix,
  /** Sources never limited (CIDRs, normalised). */
  exempt: r.exempt,
  /** Response groups remembered at most (the memory bound). */
  tableSize: r.table_size,
}));
