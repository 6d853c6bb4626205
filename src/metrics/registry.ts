/**
 * One daemon's metrics on a prom-client Registry of its own (never the global default registry:
 * tests run several daemons in one process). Series recorded on hot paths (DNS queries, store
 * calls) accumulate in plain arrays and reach the registry only when scraped.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createDnsQueryCounts, updateResult } from './dns-queries';
import { createLabelledHistogram } from './histogram';
import { registerProcessMetrics } from './process';
import type { MetricJson, Metrics } from './types';

/**
 * Upper bounds of the store latency buckets, in seconds: an indexed SQLite read takes tens of
 * microseconds, a PostgreSQL round trip about a millisecond, a durable write several; the read
 * timeout (5 s) and the write timeout (20 s) fall in the top buckets.
 */
export const STORE_BUCKETS: readonly number[] = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20,
];

/**
 * Upper bounds of the signing time buckets, in seconds: an Ed25519 or ECDSA P-256 signature takes
 * tens of microseconds on a current CPU, a busy or slow machine up to milliseconds.
 */
export const SIGNING_BUCKETS: readonly number[] = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01];

/** Options for tests. */
export interface MetricsOptions {
  /** Process CPU, memory and descriptor series (default true). */
  readonly processMetrics?: boolean;
}

/** Builds the metrics of one daemon. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics ?? true) registerProcessMetrics(registry);

  const dnsCounts = createDnsQueryCounts();
  const dnsQueries: Counter<'qtype' | 'rcode' | 'transport'> = new Counter({
    name: 'acmedns_dns_queries_total',
    help: 'DNS queries answered, by question type, response code and transport.',
    labelNames: ['qtype', 'rcode', 'transport'],
    registers,
    collect() {
      dnsQueries.reset();
      for (const c of dnsCounts.counts()) dnsQueries.inc({ qtype: c.qtype, rcode: c.rcode, transport: c.transport }, c.count);
    },
  });
  // Plain numbers on the hot path (a flood calls it per packet), read into the counter when scraped.
  const rrl = { dropped: 0, slipped: 0 };
  const rrlTotal: Counter<'action'> = new Counter({
    name: 'acmedns_dns_rrl_total',
    help: 'UDP replies held back by response rate limiting ([rrl]), by action: dropped, or slipped (sent truncated, TC=1).',
    labelNames: ['action'],
    registers,
    collect() {
      rrlTotal.reset();
      for (const action of ['dropped', 'slipped'] as const) if (rrl[action] > 0) rrlTotal.inc({ action }, rrl[action]);
    },
  });
  const transfers = new Counter({
    name: 'acmedns_dns_transfers_total',
    help: 'Zone transfer requests (AXFR, IXFR), by kind and result: refused, notauth, formerr, notimp, uptodate (the SOA alone), incremental, full.',
    labelNames: ['kind', 'result'],
    registers,
  });
  const notifies = new Counter({
    name: 'acmedns_dns_notify_total',
    help: 'NOTIFY messages sent to secondaries, by result: acknowledged, refused (an error rcode), timeout (sent again later).',
    labelNames: ['result'],
    registers,
  });
  const dnsUpdates = new Counter({
    name: 'acmedns_dns_updates_total',
    help: 'RFC 2136 UPDATE messages, by result (the RCODE answered, or dropped) and transport.',
    labelNames: ['result', 'transport'],
    registers,
  });
  // Cache hits come once per signed answer: a plain number, read into the counter when scraped.
  const dnssec = { signatures: 0, cacheHits: 0 };
  const dnssecSignatures: Counter = new Counter({
    name: 'acmedns_dnssec_signatures_total',
    help: 'DNSSEC signatures (RRSIGs) made; RRsets served from the signature cache are not counted.',
    registers,
    collect() {
      dnssecSignatures.reset();
      dnssecSignatures.inc(dnssec.signatures);
    },
  });
  const dnssecCacheHits: Counter = new Counter({
    name: 'acmedns_dnssec_signature_cache_hits_total',
    help: 'RRsets whose signatures were served from the signature cache (one per RRset, whatever the number of keys).',
    registers,
    collect() {
      dnssecCacheHits.reset();
      dnssecCacheHits.inc(dnssec.cacheHits);
    },
  });
  const signingSeconds = new Histogram({
    name: 'acmedns_dnssec_signing_seconds',
    help: 'Time to make one DNSSEC signature (canonical form and the signature itself).',
    buckets: [...SIGNING_BUCKETS],
    registers,
  });
  const apiRequests = new Counter({
    name: 'acmedns_api_requests_total',
    help: 'HTTP API requests, by route (unmatched for paths not served) and status (aborted: the client left first).',
    labelNames: ['route', 'status'],
    registers,
  });
  const authFailures = new Counter({
    name: 'acmedns_auth_failures_total',
    help: 'Failed authentications (every one answered 401 forbidden), by reason.',
    labelNames: ['reason'],
    registers,
  });
  const registrations = new Counter({ name: 'acmedns_registrations_total', help: 'Accounts created through POST /register.', registers });
  const txtUpdates = new Counter({ name: 'acmedns_txt_updates_total', help: "TXT values stored through POST /update (or lego's httpreq POST /present).", registers });
  const storeErrors = new Counter({
    name: 'acmedns_store_errors_total',
    help: 'Store calls that failed, by operation.',
    labelNames: ['op'],
    registers,
  });
  // Registered only while a certificate is served: an unlabelled gauge cannot be absent, and a 0
  // would read as "expired in 1970" to an expiry alert.
  const expiryName = 'acmedns_certificate_expiry_timestamp_seconds';
  const certificateExpiry = new Gauge({
    name: expiryName,
    help: "The notAfter of the API's own TLS certificate, in seconds since the epoch.",
    registers: [],
    // Only the primary serves the API; never summed with anything.
    aggregator: 'first',
  });
  const storeLatency = createLabelledHistogram(
    'acmedns_store_operation_seconds',
    'Duration of store calls, by operation (failed calls included).',
    'op',
    STORE_BUCKETS,
  );

  return {
    contentType: registry.contentType,
    dnsAnswered: (qtype, rcode, transport) => dnsCounts.add(qtype, rcode, transport),
    dnsUpdate: (result, transport) => dnsUpdates.inc({ result: updateResult(result), transport }),
    dnsRrl: (action) => {
      rrl[action] += 1;
    },
    dnsTransfer: (kind, result) => transfers.inc({ kind, result }),
    dnsNotify: (result) => notifies.inc({ result }),
    dnssecSignature(seconds) {
      dnssec.signatures += 1;
      signingSeconds.observe(seconds);
    },
    dnssecCacheHit: () => {
      dnssec.cacheHits += 1;
    },
    apiRequest: (route, status) => apiRequests.inc({ route, status: String(status) }),
    authFailure: (reason) => authFailures.inc({ reason }),
    registration: () => registrations.inc(),
    txtUpdate: () => txtUpdates.inc(),
    storeOperation(op, seconds, failed) {
      storeLatency.observe(op, seconds);
      if (failed) storeErrors.inc({ op });
    },
    setCertificateExpiry(notAfter) {
      if (notAfter === undefined || Number.isNaN(notAfter.getTime())) {
        registry.removeSingleMetric(expiryName);
        return;
      }
      certificateExpiry.set(notAfter.getTime() / 1000);
      registry.registerMetric(certificateExpiry);
    },
    async render() {
      return `${await registry.metrics()}\n${storeLatency.render()}\n`;
    },
    async snapshot() {
      // prom-client's JSON types its `type` as an enum it fills with strings; ours says string.
      const own = (await registry.getMetricsAsJSON()) as unknown as MetricJson[];
      return [...own, storeLatency.json()];
    },
  };
}
