/**
 * RRL with a real resolver behind it (issue 8 item 6): the test topology (knot as the parent,
 * unbound as the resolver) and our daemon with `[rrl]` on at one answer a second and slip = 1.
 * A flood from the resolver's own address (what a spoofer sends) puts the resolver's group in
 * debt; unbound's own UDP query is then slipped, and unbound, seeing TC, asks again over TCP and
 * still resolves the TXT. The daemon's metrics show the slips and the TCP answer.
 */
import { register, txtValue, update } from './support/api-client';
import { buildQuery, parseReply, rcodeOf, txtValues, udpFlood, udpQuery } from './support/dns-client';
import { scrape, valueOf } from './support/prometheus';
import { startTopology, topologySkipReason, type Topology } from './topology';
import { startServer, type TopologyServer } from './topology/acmedns';

jest.setTimeout(120_000);

const skip = topologySkipReason();
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`RRL resolver test skipped: ${skip}`);

suite('RRL in front of a real resolver', () => {
  let topo: Topology;
  let server: TopologyServer;

  beforeAll(async () => {
    topo = await startTopology({ startPebble: false });
    server = await startServer(topo, '[rrl]\nenabled = true\nresponses_per_second = 1\nslip = 1\nwindow = 30\n');
  });
  afterAll(async () => {
    await server?.stop();
    await topo?.stop();
  });

  test('unbound still resolves the TXT: slipped over UDP, answered over TCP', async () => {
    const account = await register(server.api);
    const value = txtValue('rrl-resolver');
    expect((await update(server.api, account, value)).status).toBe(200);
    const target = { address: topo.addresses.acmedns, port: 53, family: 'IPv4' } as const;

    // 20 queries from unbound's own address: one answer, then (slip = 1) 19 truncated replies.
    const flood = Array.from({ length: 20 }, (_, i) => buildQuery({ id: i, name: account.fulldomain }));
    const replies = (await udpFlood(target, topo.addresses.unbound, flood, () => ({ handled: Infinity, sent: 20 }))).map(parseReply);
    expect(replies.filter((r) => r.tc).length).toBe(19);
    expect(replies.filter((r) => r.tc).every((r) => (r.packet.answers ?? []).length === 0)).toBe(true);

    // The group stays in debt for the window (30 s): unbound's UDP query is limited too.
    const answer = await udpQuery({ address: topo.addresses.unbound, port: 53 }, { name: account.fulldomain, type: 'TXT', rd: true });
    expect([rcodeOf(answer), txtValues(answer)]).toEqual(['NOERROR', [value]]);

    const s = await scrape(`${server.api}/metrics`);
    expect(valueOf(s, 'acmedns_dns_rrl_total', { action: 'slipped' })).toBeGreaterThanOrEqual(20);
    expect(valueOf(s, 'acmedns_dns_rrl_total', { action: 'dropped' })).toBeUndefined();
    expect(valueOf(s, 'acmedns_dns_queries_total', { qtype: 'TXT', rcode: 'NOERROR', transport: 'tcp' })).toBeGreaterThanOrEqual(1);
  });
});
