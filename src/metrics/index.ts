/**
 * Prometheus metrics: one registry per daemon, the recorders each part receives, the store timing
 * wrapper and the optional listener of their own. Imports nothing of ours but types.
 */
export { createMetrics, SIGNING_BUCKETS, STORE_BUCKETS, type MetricsOptions } from './registry';
export { timedStore } from './timed-store';
export { startMetricsServer, type MetricsServer } from './server';
export type {
  ApiMetrics,
  CertificateMetrics,
  DnsMetrics,
  DnssecMetrics,
  DnsUpdateMetrics,
  DnsTransport,
  Metrics,
  MetricsExposition,
  RrlAction,
  RrlMetrics,
  StoreMetrics,
} from './types';
export { clusterExposition } from './cluster';
export type { MetricAggregator, MetricJson, MetricJsonValue, MetricsSnapshot } from './types';
