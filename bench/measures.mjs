// What is measured: each measure names its query file, how it runs and the rcode every answer
// must carry (a fast SERVFAIL is not a result).

/**
 * Per-measure definition; `file` is a key of writeQueryFiles()'s result (or of the server's own
 * `files`, e.g. the 1M store's query file); a `fresh` file is written anew before every run. `dnssec` measures set
 * the DO bit on every query (dnsperf -D, RFC 3225) and compare against `reference`, the knot
 * scenario doing the same work (online signing), instead of knot's unsigned figures.
 */
export const MEASURES = {
  txtOne: { kind: 'max', file: 'txtOne', expect: 'NOERROR', label: 'TXT, 1 name' },
  txtMany: { kind: 'max', file: 'txtMany', expect: 'NOERROR', label: 'TXT, all names' },
  soa: { kind: 'max', file: 'soa', expect: 'NOERROR', label: 'SOA' },
  nx: { kind: 'max', file: 'nx', expect: 'NXDOMAIN', label: 'NXDOMAIN' },
  // Issue 12: TXT for every account of the 1,000,000-account store, shuffled (no name twice in a
  // run); NXDOMAIN as a random-subdomain flood (a new name every query, a new file every run).
  txtMillion: { kind: 'max', file: 'txtMillion', expect: 'NOERROR', label: 'TXT, 1M store, shuffled' },
  nxFlood: { kind: 'max', file: 'nxFlood', fresh: true, expect: 'NXDOMAIN', label: 'NXDOMAIN, flood (new names)' },
  latTxtOne: { kind: 'latency', file: 'txtOne', expect: 'NOERROR', label: 'TXT, 1 name', rate: 2000 },
  latTxtMillion: { kind: 'latency', file: 'txtMillionLate', expect: 'NOERROR', label: 'TXT, 1M store, shuffled', rate: 2000 },
  latTxtMany: { kind: 'latency', file: 'txtMany', expect: 'NOERROR', label: 'TXT, all names', rate: 2000 },
  txtOneDo: { kind: 'max', file: 'txtOne', dnssec: true, expect: 'NOERROR', label: 'TXT, 1 name, DO (signed)', reference: 'knot-online' },
  // Compact denial (RFC 9824) answers a missing name NOERROR with an NSEC; knot pre-signed says
  // NXDOMAIN (its scenario sets `expect`).
  nxDo: { kind: 'max', file: 'nx', dnssec: true, expect: 'NOERROR', label: 'NXDOMAIN, DO (signed)', reference: 'knot-online' },
  latTxtOneDo: { kind: 'latency', file: 'txtOne', dnssec: true, expect: 'NOERROR', label: 'TXT, 1 name, DO (signed)', rate: 2000 },
};

/** The rcode every answer of measure `m` must carry from `scenario` (a scenario may differ, e.g. NSEC-chain NXDOMAIN). */
export function expected(scenario, m) {
  return scenario.expect?.[m] ?? MEASURES[m].expect;
}

/** Other processes above this share of a core during a run disturb its figures. */
export const DISTURBED = 0.1;

/** The larger share of a core other processes took on either benchmark core during a run. */
export function disturbance(r) {
  return Math.max(0, ...[r.otherServerCore, r.otherLoadCore].filter(Number.isFinite));
}

/** Answers with another rcode than expected, as "SERVFAIL 12, ..." or '' when all are right. */
export function wrongAnswers(stats, expect) {
  return Object.entries(stats.rcodes)
    .filter(([code, n]) => code !== expect && n > 0)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
}
