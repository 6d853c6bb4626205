/** /metrics across DNS workers: counters and histograms summed, the primary's start time and certificate kept as they are. */
import { clusterExposition } from './cluster';
import { createMetrics } from './registry';

/** The value of a sample line `name{labels} value` in the text exposition. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

test('sums every process: queries, updates and store latency; one start time, the primary\'s', async () => {
  const primary = createMetrics();
  const workers = [createMetrics(), createMetrics()];
  primary.dnsUpdate(0, 'udp');
  primary.setCertificateExpiry(new Date('2030-01-01T00:00:00Z'));
  workers[0]?.dnsAnswered(16, 0, 'udp');
  workers[0]?.dnsAnswered(16, 0, 'udp');
  workers[1]?.dnsAnswered(16, 0, 'udp');
  workers[1]?.dnsAnswered(6, 3, 'tcp');
  workers[0]?.storeOperation('lookup', 0.0002, false);
  workers[1]?.storeOperation('lookup', 0.003, false);
  const exposition = clusterExposition(primary, async () => Promise.all(workers.map((w) => w.snapshot())));
  const text = await exposition.render();
  expect(exposition.contentType).toBe(primary.contentType);
  expect(sample(text, 'acmedns_dns_queries_total{qtype="TXT",rcode="NOERROR",transport="udp"}')).toBe(3);
  expect(sample(text, 'acmedns_dns_queries_total{qtype="SOA",rcode="NXDOMAIN",transport="tcp"}')).toBe(1);
  expect(sample(text, 'acmedns_dns_updates_total{result="NOERROR",transport="udp"}')).toBe(1);
  expect(sample(text, 'acmedns_store_operation_seconds_count{op="lookup"}')).toBe(2);
  expect(sample(text, 'acmedns_store_operation_seconds_bucket{op="lookup",le="0.00025"}')).toBe(1);
  expect(sample(text, 'acmedns_store_operation_seconds_bucket{op="lookup",le="+Inf"}')).toBe(2);
  expect(sample(text, 'acmedns_certificate_expiry_timestamp_seconds')).toBe(Date.parse('2030-01-01T00:00:00Z') / 1000);
  const starts = text.split('\n').filter((l) => l.startsWith('process_start_time_seconds '));
  expect(starts).toHaveLength(1);
  expect(Number(starts[0]?.split(' ')[1])).toBeLessThanOrEqual(Date.now() / 1000);
});

test('no workers answering: the primary\'s own series alone', async () => {
  const primary = createMetrics();
  primary.apiRequest('/register', 201);
  const text = await clusterExposition(primary, async () => []).render();
  expect(sample(text, 'acmedns_api_requests_total{route="/register",status="201"}')).toBe(1);
});
