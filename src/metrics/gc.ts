/**
 * Garbage-collection pauses as `nodejs_gc_duration_seconds{kind}` (prom-client's name and kinds),
 * with buckets fine enough for what stalls a DNS answer: at 2,000 TXT q/s the process runs a
 * young-generation scavenge about three times a second and each pauses the event loop for
 * 0.5-0.8 ms (measured for issue 12), below prom-client's first default bucket (1 ms).
 *
 * GC is per process, so one PerformanceObserver serves every registry in it (tests run several
 * daemons in one process); it holds each registry's histogram only weakly, so a daemon that is
 * dropped leaves nothing running for it, and the observer disconnects when no histogram is left.
 */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { Histogram, type Registry } from 'prom-client';

/** Upper bounds in seconds: a scavenge takes tenths of a millisecond, a full mark-compact up to tens of ms. */
export const GC_BUCKETS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** prom-client's labels for Node's GC kinds. */
const KINDS: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

type GcHistogram = Histogram<'kind'>;

const histograms = new Set<WeakRef<GcHistogram>>();
let observer: PerformanceObserver | undefined;

/** The entry's GC kind (Node 16+ puts it in `detail`). */
function kindOf(entry: PerformanceEntry): string {
  const detail: unknown = Reflect.get(entry, 'detail');
  const kind = typeof detail === 'object' && detail !== null && 'kind' in detail ? detail.kind : undefined;
  return (typeof kind === 'number' ? KINDS[kind] : undefined) ?? 'other';
}

function record(entries: readonly PerformanceEntry[]): void {
  for (const ref of histograms) {
    const histogram = ref.deref();
    if (histogram === undefined) {
      histograms.delete(ref);
      continue;
    }
    for (const entry of entries) histogram.observe({ kind: kindOf(entry) }, entry.duration / 1000);
  }
  if (histograms.size === 0) {
    observer?.disconnect();
    observer = undefined;
  }
}

/** Registers `nodejs_gc_duration_seconds` on `registry`, fed from the process's one GC observer. */
export function registerGcMetrics(registry: Registry): void {
  const histogram: GcHistogram = new Histogram({
    name: 'nodejs_gc_duration_seconds',
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    labelNames: ['kind'],
    buckets: [...GC_BUCKETS],
    registers: [registry],
  });
  histograms.add(new WeakRef(histogram));
  if (observer === undefined) {
    observer = new PerformanceObserver((list) => record(list.getEntries()));
    observer.observe({ entryTypes: ['gc'] });
  }
}
