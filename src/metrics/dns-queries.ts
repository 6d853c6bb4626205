/**
 * Per-query DNS counts without allocation: one Float64Array cell per (qtype, rcode, transport),
 * found through two small index tables. prom-client's `counter.inc(labels)` hashes a label object
 * on every call (about half a microsecond and several allocations, measured on Node 20); here the
 * hot path is two array reads and one increment, and the labels are built only when scraped.
 */
import type { DnsTransport } from './types';

/**
 * Query types with a label of their own (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 4034, RFC 6698,
 * RFC 8659, RFC 9460 and the meta types); every other code counts as `other`, so a client sending
 * random types cannot create thousands of series.
 */
const QTYPES: Readonly<Record<number, string>> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  13: 'HINFO',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  35: 'NAPTR',
  43: 'DS',
  46: 'RRSIG',
  47: 'NSEC',
  48: 'DNSKEY',
  50: 'NSEC3',
  52: 'TLSA',
  64: 'SVCB',
  65: 'HTTPS',
  99: 'SPF',
  251: 'IXFR',
  252: 'AXFR',
  255: 'ANY',
  257: 'CAA',
};

/** Response codes by value (RFC 1035 §4.1.1; BADVERS RFC 6891 §9); others count as `other`. */
const RCODES: Readonly<Record<number, string>> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
  16: 'BADVERS',
};

/** The RCODEs an UPDATE may answer besides RCODES (RFC 2136 §2.2, RFC 8945 §5.2 NOTAUTH). */
const UPDATE_RCODES: Readonly<Record<number, string>> = { ...RCODES, 6: 'YXDOMAIN', 7: 'YXRRSET', 8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE' };

/** The result label of an UPDATE: its RCODE's name (`other` for codes we never send), or `dropped`. */
export function updateResult(result: number | 'dropped'): string {
  return result === 'dropped' ? result : (UPDATE_RCODES[result] ?? 'other');
}

/** The qtype label of a message without a readable question (FORMERR for a bad question count). */
export const NO_QUESTION = 'none';

/** One non-zero cell, as the scrape sees it. */
export interface DnsQueryCount {
  readonly qtype: string;
  readonly rcode: string;
  readonly transport: DnsTransport;
  readonly count: number;
}

/** The accumulator: `add` on the hot path, `counts` at scrape time. */
export interface DnsQueryCounts {
  add(qtype: number | undefined, rcode: number, transport: DnsTransport): void;
  counts(): DnsQueryCount[];
}

const TRANSPORTS: readonly DnsTransport[] = ['udp', 'tcp'];

/** Builds an empty accumulator. */
export function createDnsQueryCounts(): DnsQueryCounts {
  // Index 0 is `other`, 1 is `none`, then the named types in table order.
  const typeNames = ['other', NO_QUESTION, ...Object.values(QTYPES)];
  const typeIndex = new Uint8Array(65536);
  Object.keys(QTYPES).forEach((code, i) => (typeIndex[Number(code)] = i + 2));
  const rcodeNames = ['other', ...Object.values(RCODES)];
  const rcodeIndex = new Uint8Array(4096); // 12-bit extended RCODE (RFC 6891 §6.1.3)
  Object.keys(RCODES).forEach((code, i) => (rcodeIndex[Number(code)] = i + 1));
  const rcodeCount = rcodeNames.length;
  const cells = new Float64Array(typeNames.length * rcodeCount * 2);

  return {
    add(qtype, rcode, transport) {
      const t = qtype === undefined ? 1 : (typeIndex[qtype & 0xffff] ?? 0);
      const r = rcodeIndex[rcode & 0xfff] ?? 0;
      const cell = (t * rcodeCount + r) * 2 + (transport === 'tcp' ? 1 : 0);
      cells[cell] = (cells[cell] ?? 0) + 1;
    },
    counts() {
      const out: DnsQueryCount[] = [];
      cells.forEach((count, cell) => {
        if (count === 0) return;
        const transport = TRANSPORTS[cell % 2] as DnsTransport;
        const pair = Math.floor(cell / 2);
        const qtype = typeNames[Math.floor(pair / rcodeCount)] as string;
        const rcode = rcodeNames[pair % rcodeCount] as string;
        out.push({ qtype, rcode, transport, count });
      });
      return out;
    },
  };
}
