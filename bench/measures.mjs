// What is measured: each measure names its query file, how it runs and the rcode every answer
// must carry (a fast SERVFAIL is not a result).

/** Per-measure definition; `file` is a key of writeQueryFiles()'s result. */
export const MEASURES = {
  txtOne: { kind: 'max', file: 'txtOne', expect: 'NOERROR', label: 'TXT, 1 name' },
  txtMany: { kind: 'max', file: 'txtMany', expect: 'NOERROR', label: 'TXT, all names' },
  soa: { kind: 'max', file: 'soa', expect: 'NOERROR', label: 'SOA' },
  nx: { kind: 'max', file: 'nx', expect: 'NXDOMAIN', label: 'NXDOMAIN' },
  latTxtOne: { kind: 'latency', file: 'txtOne', expect: 'NOERROR', label: 'TXT, 1 name', rate: 2000 },
  latTxtMany: { kind: 'latency', file: 'txtMany', expect: 'NOERROR', label: 'TXT, all names', rate: 2000 },
};

/** Answers with another rcode than expected, as "SERVFAIL 12, ..." or '' when all are right. */
export function wrongAnswers(stats, expect) {
  return Object.entries(stats.rcodes)
    .filter(([code, n]) => code !== expect && n > 0)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
}
