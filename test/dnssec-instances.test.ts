/**
 * Issue 11: two instances on one PostgreSQL database sign with the same key. The signed parent
 * delegates our zone to both (ns -> `.1`, ns2 -> `.5`) and holds one DS; the instances start
 * together (so both race to make the first key) and must publish one DNSKEY RRset. Every answer
 * validates whichever instance gave it: through the validating unbound, which spreads its queries
 * over both name servers, and through delv asked of each instance in turn with our DS as anchor.
 */
import fs from 'node:fs';
import path from 'node:path';
import { delv } from './support/delv';
import { register, txtValue, update } from './support/api-client';
import { rrs, txtValues, udpQuery } from './support/dns-client';
import { startPostgres, type TestPostgres } from './support/postgres';
import { samplesOf, scrape } from './support/prometheus';
import { startServer, type TopologyServer } from './topology/acmedns';
import { ourDsLines, publishDs } from './topology/signed-delegation';
import { secureAnswer } from './topology/validation';
import { NS2_NAME, NS_NAME, startTopology, topologySkipReason, ZONE, type Topology } from './topology';

jest.setTimeout(180_000);

const skip = topologySkipReason(['delv', 'keymgr']);
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`DNSSEC several-instances tests skipped: ${skip}`);

suite('two instances on one PostgreSQL database sign with the same key', () => {
  let topo: Topology;
  let pg: TestPostgres;
  let servers: TopologyServer[] = [];
  let ds: string[];

  const log = (): string => `${servers.map((s) => s.logText().slice(-3000)).join('\n---\n')}\n--- topology ---\n${topo.output().slice(-6000)}`;

  beforeAll(async () => {
    topo = await startTopology({ dnssec: true, secondNameServer: true, startPebble: false });
    pg = await startPostgres();
    const connection = await pg.createDatabase();
    const start = (address: string): Promise<TopologyServer> =>
      startServer(topo, '[dnssec]\nenabled = true\n', {
        dir: fs.mkdtempSync(path.join(topo.dir, 'instance-')),
        address,
        database: `engine = "postgres"\nconnection = "${connection}"`,
        records: [
          `${ZONE}. A ${topo.addresses.acmedns}`,
          `${NS_NAME}. A ${topo.addresses.acmedns}`,
          `${NS2_NAME}. A ${topo.addresses.acmedns2}`,
          `${ZONE}. NS ${NS_NAME}.`,
          `${ZONE}. NS ${NS2_NAME}.`,
        ],
      });
    // Together: the first key is claimed by one of them and adopted by the other (RFC 6781 §4.1.4).
    servers = await Promise.all([start(topo.addresses.acmedns), start(topo.addresses.acmedns2)]);
    ds = await ourDsLines(servers[1]!.configFile);
    await publishDs(topo, ds, { log });
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await topo?.stop();
    await pg?.destroy();
  });

  const dnskeys = async (address: string): Promise<string[]> => {
    const reply = await udpQuery({ address, port: 53 }, { name: ZONE, type: 'DNSKEY', edns: { udpSize: 1232, dnssecOk: true } });
    return rrs(reply.packet.answers)
      .filter((r) => r.type === 'DNSKEY')
      .map((r) => {
        const key = r.data as { flags: number; algorithm: number; key: Buffer };
        return `${key.flags} ${key.algorithm} ${key.key.toString('base64')}`;
      })
      .sort();
  };

  it('both instances publish the one DNSKEY RRset, and both print the same DS', async () => {
    const [a, b] = await Promise.all([dnskeys(topo.addresses.acmedns), dnskeys(topo.addresses.acmedns2)]);
    expect(a).toHaveLength(1);
    expect(b).toEqual(a);
    expect(await ourDsLines(servers[0]!.configFile)).toEqual(ds);
  });

  /** Signed answers an instance gave so far: the RRsets it signed or took from its signature cache. */
  const signedRRsets = async (s: TopologyServer): Promise<number> => {
    const m = await scrape(`${s.api}/metrics`);
    return [...samplesOf(m, 'acmedns_dnssec_signatures_total'), ...samplesOf(m, 'acmedns_dnssec_signature_cache_hits_total')].reduce((sum, x) => sum + x.value, 0);
  };

  it('values written through either instance validate through the resolver, whichever instance it asks', async () => {
    const account = await register(servers[0]!.api);
    const before = await Promise.all(servers.map(signedRRsets));
    for (let round = 0; round < 12; round++) {
      const via = servers[round % 2]!;
      const value = txtValue(`switch-${round}`);
      expect((await update(via.api, account, value)).status).toBe(200);
      // Several questions a round: unbound picks among the two name servers by RTT band at random.
      for (let i = 0; i < 3; i++) {
        const answer = await secureAnswer(topo, account.fulldomain, 'TXT');
        expect(txtValues(answer.reply)).toContain(value);
      }
    }
    expect((await secureAnswer(topo, `missing.${ZONE}`, 'TXT')).reply.packet.answers ?? []).toHaveLength(0);
    expect((await secureAnswer(topo, ZONE, 'DNSKEY')).rcode).toBe('NOERROR');
    // The resolver switched: both instances gave it signed answers meanwhile.
    const after = await Promise.all(servers.map(signedRRsets));
    expect(after[0]!).toBeGreaterThan(before[0]!);
    expect(after[1]!).toBeGreaterThan(before[1]!);
  });

  it('delv, anchored on our DS, validates each instance asked directly in turn', async () => {
    const account = await register(servers[1]!.api);
    expect((await update(servers[0]!.api, account, txtValue('direct'))).status).toBe(200);
    for (const address of [topo.addresses.acmedns, topo.addresses.acmedns2]) {
      for (const [name, type] of [[account.fulldomain, 'TXT'], [`missing.${ZONE}`, 'TXT'], [account.fulldomain, 'A'], [ZONE, 'DNSKEY'], [ZONE, 'SOA']] as const) {
        const run = await delv({ address, port: 53 }, ds, name, type);
        if (!run.fullyValidated) throw new Error(`${address}: ${name} ${type} not validated:\n${run.stdout}${run.stderr}`);
      }
    }
  });
});
