import { Registry } from 'prom-client';
import { GC_BUCKETS, registerGcMetrics } from './gc';
import { createMetrics } from './registry';

/** Allocates short-lived garbage until the young generation has been collected at least once. */
async function causeScavenges(): Promise<void> {
  let sink = 0;
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 200_000; i++) sink += { i, s: `x${i}` }.s.length;
    // PerformanceObserver delivers GC entries asynchronously.
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(sink).toBeGreaterThan(0);
}

/** The count of a series in the text exposition, 0 when absent. */
function count(text: string, kind: string): number {
  const m = text.match(new RegExp(`^nodejs_gc_duration_seconds_count\\{kind="${kind}"\\} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : 0;
}

describe('GC pause metrics', () => {
  it('counts young-generation collections with sub-millisecond buckets', async () => {
    const registry = new Registry();
    registerGcMetrics(registry);
    await causeScavenges();
    const text = await registry.metrics();
    expect(text).toMatch(/^# TYPE nodejs_gc_duration_seconds histogram$/m);
    expect(count(text, 'minor')).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_gc_duration_seconds_bucket\{le="0.0005",kind="minor"\} \d+$/m);
    expect(GC_BUCKETS[0]).toBeLessThan(0.001);
  });

  it('feeds every registry of the process (one observer for several daemons)', async () => {
    const a = new Registry();
    const b = new Registry();
    registerGcMetrics(a);
    registerGcMetrics(b);
    await causeScavenges();
    expect(count(await a.metrics(), 'minor')).toBeGreaterThan(0);
    expect(count(await b.metrics(), 'minor')).toBeGreaterThan(0);
  });

  it('is part of the daemon exposition with process metrics, absent without', async () => {
    await causeScavenges();
    const withProcess = createMetrics();
    await causeScavenges();
    expect(count(await withProcess.render(), 'minor')).toBeGreaterThan(0);
    expect(await createMetrics({ processMetrics: false }).render()).not.toContain('nodejs_gc_duration_seconds');
  });
});
