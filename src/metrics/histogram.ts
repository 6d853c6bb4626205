/**
 * A labelled histogram for hot paths (the store lookup runs once per DNS query): observing is a
 * Map lookup by the label value, a short scan of the bounds and three additions, with nothing
 * allocated; prom-client's Histogram.observe allocates per call. Rendered in the Prometheus text
 * format 0.0.4 (cumulative `_bucket` series with `le`, then `_sum` and `_count`).
 */

import type { MetricJson, MetricJsonValue } from './types';

/** Per label value: counts per bucket (not cumulative; the last one is +Inf), sum and count. */
interface Cells {
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

/** A histogram with one label. */
export interface LabelledHistogram {
  observe(labelValue: string, value: number): void;
  /** The text block: HELP, TYPE and every series; empty values yield only HELP and TYPE. */
  render(): string;
  /** The same series as prom-client's getMetricsAsJSON gives a histogram (summed across DNS workers). */
  json(): MetricJson;
}

/** Escapes a label value (backslash, double quote, newline), as the text format requires. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A bound as Prometheus writes it (`+Inf` for the last bucket). */
function formatBound(bound: number): string {
  return bound === Infinity ? '+Inf' : String(bound);
}

/** The bucket counts as the exposition gives them: each bucket counts every value at or below its bound. */
function cumulative(cells: Cells): number[] {
  let total = 0;
  return Array.from(cells.buckets, (n) => (total += n));
}

/** Builds a histogram `name` with label `label` and the upper bounds `bounds` (ascending, finite). */
export function createLabelledHistogram(name: string, help: string, label: string, bounds: readonly number[]): LabelledHistogram {
  for (let i = 1; i < bounds.length; i++) {
    if (!((bounds[i] as number) > (bounds[i - 1] as number))) throw new Error(`${name}: bucket bounds must ascend`);
  }
  const upper = [...bounds, Infinity];
  const series = new Map<string, Cells>();

  return {
    observe(labelValue, value) {
      if (Number.isNaN(value)) return;
      let cells = series.get(labelValue);
      if (cells === undefined) {
        cells = { buckets: new Float64Array(upper.length), sum: 0, count: 0 };
        series.set(labelValue, cells);
      }
      let i = 0;
      while (value > (upper[i] as number)) i++;
      cells.buckets[i] = (cells.buckets[i] ?? 0) + 1;
      cells.sum += value;
      cells.count += 1;
    },
    render() {
      const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
      for (const [value, cells] of [...series].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const l = `${label}="${escapeLabelValue(value)}"`;
        cumulative(cells).forEach((count, i) => lines.push(`${name}_bucket{${l},le="${formatBound(upper[i] as number)}"} ${count}`));
        lines.push(`${name}_sum{${l}} ${cells.sum}`, `${name}_count{${l}} ${cells.count}`);
      }
      return lines.join('\n');
    },
    json() {
      const values: MetricJsonValue[] = [];
      for (const [value, cells] of series) {
        cumulative(cells).forEach((count, i) => {
          const bound = upper[i] as number;
          values.push({ labels: { [label]: value, le: bound === Infinity ? '+Inf' : bound }, value: count, metricName: `${name}_bucket` });
        });
        values.push({ labels: { [label]: value }, value: cells.sum, metricName: `${name}_sum` });
        values.push({ labels: { [label]: value }, value: cells.count, metricName: `${name}_count` });
      }
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    },
  };
}
