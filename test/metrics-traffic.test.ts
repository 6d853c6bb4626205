/**
 * GET /metrics after known traffic through the real daemon (SQLite, real sockets): every count
 * matches what was sent, exactly. The scrape is parsed strictly (test/support/prometheus.ts).
 */
import crypto from 'node:crypto';
import { register, type Registration, txtValue, update } from './support/api-client';
import { rcodeOf, sendUdp, tcpQuery, udpQuery } from './support/dns-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { samplesOf, scrape, valueOf, type Scrape } from './support/prometheus';

describe('metrics after known traffic', () => {
  let t: TestDaemon;
  let before: Scrape;
  let after: Scrape;
  const accounts: Registration[] = [];

  beforeAll(async () => {
    t = await startTestDaemon();
    before = await scrape(`${t.api}/metrics`);

    // API: 3 registrations, 4 stored values, one value refused after authentication, three failed
    // authentications of different kinds, one unknown path.
    for (let i = 0; i < 3; i++) accounts.push(await register(t.api));
    const [a, b] = accounts as [Registration, Registration];
    for (const [account, tag] of [[a, 'a1'], [a, 'a2'], [b, 'b1'], [b, 'b2']] as const) {
      expect((await update(t.api, account, txtValue(tag))).status).toBe(200);
    }
    expect((await update(t.api, a, 'too-short')).status).toBe(400);
    expect((await update(t.api, { ...a, password: 'x'.repeat(40) }, txtValue('wrong'))).status).toBe(401);
    expect((await update(t.api, { ...a, username: crypto.randomUUID() }, txtValue('nobody'))).status).toBe(401);
    expect((await update(t.api, { ...a, username: 'not-a-uuid' }, txtValue('bad'))).status).toBe(401);
    expect((await fetch(`${t.api}/wp-login.php`)).status).toBe(404);

    // DNS: 3 TXT NOERROR over UDP, 2 A NXDOMAIN over UDP, 1 SOA NOERROR over TCP, 1 REFUSED, and a
    // header-only message (QDCOUNT 0: FORMERR, no question).
    for (let i = 0; i < 3; i++) expect(rcodeOf(await udpQuery(t.dns, { name: a.fulldomain, type: 'TXT' }))).toBe('NOERROR');
    for (let i = 0; i < 2; i++) expect(rcodeOf(await udpQuery(t.dns, { name: 'nobody.auth.example.org', type: 'A' }))).toBe('NXDOMAIN');
    expect(rcodeOf(await tcpQuery(t.tcp, { name: 'auth.example.org', type: 'SOA' }))).toBe('NOERROR');
    expect(rcodeOf(await udpQuery(t.dns, { name: 'example.com', type: 'TXT' }))).toBe('REFUSED');
    const formerr = await sendUdp(t.dns, Buffer.from([0x12, 0x34, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(formerr !== undefined && (formerr.readUInt16BE(2) & 0x0f) === 1).toBe(true);

    after = await scrape(`${t.api}/metrics`);
  });
  afterAll(async () => {
    await t?.stop();
  });

  test('a fresh daemon: zero registrations and updates, no DNS or API series yet', () => {
    expect(valueOf(before, 'acmedns_registrations_total')).toBe(0);
    expect(valueOf(before, 'acmedns_txt_updates_total')).toBe(0);
    expect(samplesOf(before, 'acmedns_dns_queries_total')).toEqual([]);
    expect(samplesOf(before, 'acmedns_api_requests_total')).toEqual([]);
    expect(samplesOf(before, 'acmedns_certificate_expiry_timestamp_seconds')).toEqual([]); // tls = "none"
  });

  test('registrations and TXT updates', () => {
    expect(valueOf(after, 'acmedns_registrations_total')).toBe(3);
    expect(valueOf(after, 'acmedns_txt_updates_total')).toBe(4);
  });

  test('API requests by route and status (the scrape before counts, the current one not yet)', () => {
    const requests = Object.fromEntries(
      samplesOf(after, 'acmedns_api_requests_total').map((s) => [`${s.labels.route} ${s.labels.status}`, s.value]),
    );
    expect(requests).toEqual({
      '/metrics 200': 1,
      '/register 201': 3,
      '/update 200': 4,
      '/update 400': 1,
      '/update 401': 3,
      'unmatched 404': 1,
    });
  });

  test('authentication failures by reason', () => {
    const reasons = Object.fromEntries(samplesOf(after, 'acmedns_auth_failures_total').map((s) => [s.labels.reason, s.value]));
    expect(reasons).toEqual({ wrong_key: 1, unknown_user: 1, malformed_user: 1 });
  });

  test('DNS queries by type, rcode and transport', () => {
    const queries = Object.fromEntries(
      samplesOf(after, 'acmedns_dns_queries_total').map((s) => [`${s.labels.qtype} ${s.labels.rcode} ${s.labels.transport}`, s.value]),
    );
    expect(queries).toEqual({
      'TXT NOERROR udp': 3,
      'A NXDOMAIN udp': 2,
      'SOA NOERROR tcp': 1,
      'TXT REFUSED udp': 1,
      'none FORMERR udp': 1,
    });
  });

  test('store latency: one observation per call, buckets cumulative and ending at the count', () => {
    const count = (op: string): number | undefined => valueOf(after, 'acmedns_store_operation_seconds_count', { op });
    expect(count('createAccount')).toBe(3);
    expect(count('putTxt')).toBe(4);
    // Four stored values, the refused value (authenticated first), the wrong key and the unknown
    // user; the malformed user never reaches the store.
    expect(count('findAccount')).toBe(7);
    expect(count('lookup')).toBeGreaterThanOrEqual(3); // at least the TXT queries at the account's name
    for (const op of ['createAccount', 'putTxt', 'findAccount', 'lookup']) {
      const buckets = samplesOf(after, 'acmedns_store_operation_seconds_bucket', { op }).map((s) => s.value);
      expect(buckets.length).toBeGreaterThan(5);
      expect([...buckets].sort((x, y) => x - y)).toEqual(buckets);
      expect(valueOf(after, 'acmedns_store_operation_seconds_bucket', { op, le: '+Inf' })).toBe(count(op));
      expect(valueOf(after, 'acmedns_store_operation_seconds_sum', { op })).toBeGreaterThan(0);
    }
    expect(samplesOf(after, 'acmedns_store_errors_total')).toEqual([]);
  });

  test('process series under their usual names', () => {
    expect(valueOf(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(valueOf(after, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(after, 'process_start_time_seconds')).toBeLessThanOrEqual(Date.now() / 1000);
    expect(samplesOf(after, 'nodejs_version_info', { version: process.version })).toHaveLength(1);
    expect(after.types.get('acmedns_store_operation_seconds')).toBe('histogram');
    expect(after.types.get('acmedns_dns_queries_total')).toBe('counter');
  });
});
