/**
 * What each part reports, as narrow interfaces: the DNS server sees only DnsMetrics, the API only
 * ApiMetrics, so a part cannot touch another part's series and tests can pass a small fake.
 */

/** How a DNS message arrived. */
export type DnsTransport = 'udp' | 'tcp';

/** Recorded by the DNS handler once per answered message. */
export interface DnsMetrics {
  /**
   * One answered query: the question's type (undefined when the message had no readable question),
   * the full RCODE sent (RFC 6891 §6.1.3: extended codes such as BADVERS included) and the transport.
   * Allocation-free: it runs once per query on the hot path.
   */
  dnsAnswered(qtype: number | undefined, rcode: number, transport: DnsTransport): void;
}

/** Recorded by the RFC 2136 UPDATE path once per UPDATE message (issue 10). */
export interface DnsUpdateMetrics {
  /**
   * One UPDATE: the RCODE answered (RFC 2136 §2.2's included: NOTAUTH for a refused signature,
   * NXRRSET for a failed prerequisite ...), or `dropped` when nothing was sent. UPDATEs are not
   * counted in acmedns_dns_queries_total, which stays a count of questions answered.
   */
  dnsUpdate(result: number | 'dropped', transport: DnsTransport): void;
}

/** What response rate limiting did to a UDP reply instead of sending it. */
export type RrlAction = 'dropped' | 'slipped';

/** Recorded by DNS response rate limiting (`[rrl]`) once per limited UDP reply. */
export interface RrlMetrics {
  /** One reply not sent as built: dropped, or slipped (sent truncated). Allocation-free: floods call it per packet. */
  dnsRrl(action: RrlAction): void;
}

/** How a zone transfer request ended: refused (ACL, key, name), an error, or what was sent. */
export type TransferResult = 'refused' | 'notauth' | 'formerr' | 'notimp' | 'uptodate' | 'incremental' | 'full';

/** Recorded by zone transfers and NOTIFY (`[transfer]`). */
export interface TransferMetrics {
  /** One AXFR or IXFR request and how it ended (full: the whole zone, also for an IXFR the journal could not serve). */
  dnsTransfer(kind: 'axfr' | 'ixfr', result: TransferResult): void;
  /** One NOTIFY sent to a secondary: acknowledged, refused (an error rcode), or not answered in time (retried). */
  dnsNotify(result: 'acknowledged' | 'refused' | 'timeout'): void;
}

/** Recorded by the DNSSEC signer (the same shape as dns/dnssec/types SigningMetrics, declared here: metrics imports nothing of dns). */
export interface DnssecMetrics {
  /** One signature made, taking `seconds`. */
  dnssecSignature(seconds: number): void;
  /** One RRset's signatures served from the cache. Allocation-free: it runs per signed answer. */
  dnssecCacheHit(): void;
}

/** Recorded by the API once per request. */
export interface ApiMetrics {
  /** A request's outcome: its route (`unmatched` for paths we do not serve) and status, or `aborted`. */
  apiRequest(route: string, status: number | 'aborted'): void;
  /** A failed authentication, by a reason from a small fixed set (never free text: label cardinality). */
  authFailure(reason: string): void;
  /** An account created through POST /register. */
  registration(): void;
  /** A TXT value stored through POST /update (or lego's httpreq POST /present). */
  txtUpdate(): void;
}

/** Recorded by the timing wrapper around the store. */
export interface StoreMetrics {
  /** One store call: its operation name, how long it took, whether it failed. */
  storeOperation(op: string, seconds: number, failed: boolean): void;
}

/** Set by whoever installs the server's own certificate (tls = "cert" files, or the ACME manager). */
export interface CertificateMetrics {
  /** The notAfter of the certificate now served; undefined removes the series (no certificate). */
  setCertificateExpiry(notAfter: Date | undefined): void;
}

/** The exposition: what GET /metrics sends. */
export interface MetricsExposition {
  /** Prometheus text format 0.0.4 content type. */
  readonly contentType: string;
  /** Every series of this daemon plus the process's, as of now. */
  render(): Promise<string>;
}

/** One series' value as prom-client's getMetricsAsJSON gives it (`metricName` for a histogram's parts). */
export interface MetricJsonValue {
  readonly value: number;
  readonly labels: Record<string, string | number>;
  readonly metricName?: string | undefined;
}

/** How prom-client's AggregatorRegistry combines one metric of several processes. */
export type MetricAggregator = 'omit' | 'sum' | 'first' | 'min' | 'max' | 'average';

/** One metric as prom-client's getMetricsAsJSON gives it: what a DNS worker sends its primary. */
export interface MetricJson {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator: MetricAggregator;
  readonly values: MetricJsonValue[];
}

/** Every series of one process as data, for summing across the DNS workers (metrics/cluster.ts). */
export interface MetricsSnapshot {
  snapshot(): Promise<MetricJson[]>;
}

/** One daemon's metrics: every recorder plus the exposition. */
export interface Metrics extends MetricsSnapshot, DnsMetrics, DnsUpdateMetrics, RrlMetrics, TransferMetrics, DnssecMetrics, ApiMetrics, StoreMetrics, CertificateMetrics, MetricsExposition {}
