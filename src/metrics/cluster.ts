/**
 * /metrics of a primary with DNS workers (`general.workers` > 1): its own series and every
 * worker's, combined as prom-client's AggregatorRegistry does (counters and histograms summed,
 * each metric by its `aggregator`), so a scrape reads as one server's.
 */
import { AggregatorRegistry } from 'prom-client';
import type { Metrics, MetricJson, MetricsExposition } from './types';

/** The exposition summing `own` (listed first: the `first` aggregators take the primary's) and `workers()`. */
export function clusterExposition(own: Metrics, workers: () => Promise<MetricJson[][]>): MetricsExposition {
  return {
    contentType: own.contentType,
    async render() {
      const [mine, theirs] = await Promise.all([own.snapshot(), workers()]);
      return AggregatorRegistry.aggregate([mine, ...theirs]).metrics();
    },
  };
}
