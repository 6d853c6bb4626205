/**
 * Response rate limiting on UDP (issue 8 item 6) over real sockets on loopback. The harness's
 * clock stands still, so no allowance refills during a test and every count is exact: a group
 * gets `responses_per_second` answers, then every `slip`th limited reply goes out truncated.
 */
import type { AddressInfo } from 'node:net';
import type { RrlConfig } from '../src/config/types';
import { createMetrics, type Metrics } from '../src/metrics';
import { buildQuery, parseReply, type Reply, tcpQuery, txtValues, udpFlood } from './support/dns-client';
import { type Harness, startDns } from './support/dns-server';
import { parsePrometheus, valueOf } from './support/prometheus';

const SUB = 'd420c923-bbd7-4056-ab64-c3ca54c9b3cf';
const NAME = `${SUB}.auth.example.org`;
const VALUE = 'LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM';
const RATE = 50;
const RRL: RrlConfig = {
  enabled: true,
  responsesPerSecond: RATE,
  slip: 2,
  windowSeconds: 15,
  ipv4Prefix: 24,
  ipv6Prefix: 56,
  exempt: ['127.2.0.0/16'],
  tableSize: 1000,
};

/** The daemon's registry, plus what the flood client paces itself by. */
interface Counted {
  readonly metrics: Metrics;
  handled: number;
  dropped: number;
}

function counted(): Counted {
  const real = createMetrics({ processMetrics: false });
  const c: Counted = {
    handled: 0,
    dropped: 0,
    metrics: {
      ...real,
      dnsAnswered(qtype, rcode, transport) {
        if (transport === 'udp') c.handled += 1;
        real.dnsAnswered(qtype, rcode, transport);
      },
      dnsRrl(action) {
        if (action === 'dropped') c.dropped += 1;
        real.dnsRrl(action);
      },
    },
  };
  return c;
}

let dns: Harness;
let counts: Counted;

async function start(rrl: Partial<RrlConfig> = {}): Promise<void> {
  counts = counted();
  dns = await startDns({ accounts: new Map([[SUB, { values: [VALUE] }]]), rrl: { ...RRL, ...rrl }, metrics: counts.metrics });
}

afterEach(() => dns.stop());

/** Sends `messages` from `from`, paced by what the server handled; returns the parsed replies. */
async function flood(from: string, messages: readonly Buffer[], target: AddressInfo = dns.udp): Promise<Reply[]> {
  const base = { handled: counts.handled, dropped: counts.dropped };
  const progress = () => ({ handled: counts.handled - base.handled, sent: counts.handled - base.handled - (counts.dropped - base.dropped) });
  return (await udpFlood(target, from, messages, progress)).map(parseReply);
}

const queries = (n: number, name = NAME, type = 16): Buffer[] => Array.from({ length: n }, (_, i) => buildQuery({ id: i, name, type }));

/** Full answers and slipped (TC) replies, each checked for its shape. */
function tally(replies: readonly Reply[]): { full: number; slipped: number } {
  let full = 0;
  let slipped = 0;
  for (const r of replies) {
    if (r.tc) {
      // A slip: the question and nothing else, so it amplifies nothing and a resolver retries over TCP.
      expect([r.qdcount, r.packet.answers?.length, r.packet.authorities?.length]).toEqual([1, 0, 0]);
      slipped += 1;
    } else full += 1;
  }
  return { full, slipped };
}

async function rrlCounts(): Promise<{ dropped: number | undefined; slipped: number | undefined; udpTxt: number | undefined }> {
  const s = parsePrometheus(await counts.metrics.render());
  return {
    dropped: valueOf(s, 'acmedns_dns_rrl_total', { action: 'dropped' }),
    slipped: valueOf(s, 'acmedns_dns_rrl_total', { action: 'slipped' }),
    udpTxt: valueOf(s, 'acmedns_dns_queries_total', { qtype: 'TXT', rcode: 'NOERROR', transport: 'udp' }),
  };
}

test('a flood of 2,000 for one name from one source: 50 answers, then every 2nd limited reply slips (TC, no records), the rest dropped; counted exactly', async () => {
  await start();
  const replies = await flood('127.0.0.1', queries(2000));
  expect(tally(replies)).toEqual({ full: RATE, slipped: (2000 - RATE) / 2 });
  expect(replies.filter((r) => !r.tc).every((r) => txtValues(r)[0] === VALUE)).toBe(true);
  expect(await rrlCounts()).toEqual({ dropped: 975, slipped: 975, udpTxt: 2000 });
  // TCP proves the source: never limited, also for the flooded source.
  for (let i = 0; i < 5; i++) expect(txtValues(await tcpQuery(dns.tcp, { name: NAME }))).toEqual([VALUE]);
});

test('another /24 is unaffected by the flood; another address in the same /24 shares its limit', async () => {
  await start();
  await flood('127.0.0.1', queries(2000));
  expect(tally(await flood('127.1.0.1', queries(RATE)))).toEqual({ full: RATE, slipped: 0 });
  // 1,950 limited so far (even): the next limited reply is a slip, then a drop, and so on.
  expect(tally(await flood('127.0.0.9', queries(10)))).toEqual({ full: 0, slipped: 5 });
});

test('an exempt source is never limited', async () => {
  await start();
  expect(tally(await flood('127.2.0.1', queries(2000)))).toEqual({ full: 2000, slipped: 0 });
  expect(await rrlCounts()).toMatchObject({ dropped: undefined, slipped: undefined, udpTxt: 2000 });
});

test('each name has its own allowance; every NXDOMAIN of the zone shares one; every error shares one', async () => {
  await start({ slip: 1 });
  const other = await flood('127.0.0.1', [...queries(60), ...queries(60, 'auth.example.org', 1)]);
  expect(tally(other)).toEqual({ full: 2 * RATE, slipped: 20 });
  const random = Array.from({ length: 60 }, (_, i) => buildQuery({ id: i, name: `random-${i}.auth.example.org` }));
  const nx = await flood('127.0.0.1', random);
  expect(tally(nx)).toEqual({ full: RATE, slipped: 10 });
  expect(nx.filter((r) => !r.tc).every((r) => r.rcode === 3)).toBe(true);
  const outside = Array.from({ length: 30 }, (_, i) => buildQuery({ id: i, name: `host-${i}.example.com` }));
  const classCh = Array.from({ length: 30 }, (_, i) => buildQuery({ id: i, name: NAME, klass: 3 }));
  expect(tally(await flood('127.0.0.1', [...outside, ...classCh]))).toEqual({ full: RATE, slipped: 10 });
});

test('slip 0 drops every limited reply; off sends everything', async () => {
  await start({ slip: 0 });
  expect(tally(await flood('127.0.0.1', queries(300)))).toEqual({ full: RATE, slipped: 0 });
  await dns.stop();
  await start({ enabled: false });
  expect(tally(await flood('127.0.0.1', queries(300)))).toEqual({ full: 300, slipped: 0 });
});

test('with a running clock, a source gets at most rate x (elapsed + 1) answers', async () => {
  counts = counted();
  dns = await startDns({
    accounts: new Map([[SUB, { values: [VALUE] }]]),
    rrl: { ...RRL, responsesPerSecond: 20, slip: 2 },
    metrics: counts.metrics,
    now: () => Date.now() / 1000,
  });
  const began = Date.now();
  const { full, slipped } = tally(await flood('127.0.0.1', queries(2000)));
  const elapsed = (Date.now() - began) / 1000;
  expect(full).toBeGreaterThanOrEqual(20);
  expect(full).toBeLessThanOrEqual(Math.ceil(20 * (elapsed + 1)));
  // One group: its limited replies alternate slip, drop starting with a slip.
  const limited = 2000 - full;
  expect(slipped).toBe(Math.ceil(limited / 2));
  expect(await rrlCounts()).toEqual({ dropped: limited - slipped, slipped, udpTxt: 2000 });
});
