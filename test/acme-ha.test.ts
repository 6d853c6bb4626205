/**
 * The own certificate with two instances on one PostgreSQL database (`tls = "acme"`, pebble): the
 * parent delegates our zone to both (ns -> instance at `.1`, ns2 -> instance at `.5`), they share
 * no file system. One order is made and both serve its certificate; each instance answers the
 * challenge value the other one published (shown by leaving only the other one in the delegation,
 * so the CA's resolver cannot ask the ordering instance); one ACME account for both.
 * Runs in order: each test starts from the state the last left.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { udpQuery } from './support/dns-client';
import { startPostgres, type TestPostgres } from './support/postgres';
import { acmeApi, startServer, type TopologyServer } from './topology/acmedns';
import { NS2_NAME, NS_NAME, startTopology, topologySkipReason, ZONE, type Topology } from './topology';
import { until } from './support/poll';

jest.setTimeout(240_000);

const skip = topologySkipReason();
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`acme several-instances tests skipped: ${skip}`);

/** Short retries, and a look at the store every half second (production: 30-60 s). */
const TIMING = {
  backoff: { baseMs: 200, maxMs: 2000 },
  visibility: { intervalMs: 100, timeoutMs: 5000 },
  sharing: { pollMs: 500, waitPollMs: 200 },
};

/** The serial of the leaf the API at `url` presents for our zone, verified against `root` only. */
async function servedSerial(url: string, root: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
    const s = tls.connect({ host: hostname, port: Number(port), servername: ZONE, ca: root }, () => resolve(s));
    s.once('error', reject);
  });
  try {
    // `authorized`: the chain verified up to pebble's root, for this name.
    if (!socket.authorized) throw new Error(`not verified: ${String(socket.authorizationError)}`);
    return socket.getPeerX509Certificate()?.serialNumber ?? '';
  } finally {
    socket.destroy();
  }
}

const serialOf = (pem: string | undefined): string => new X509Certificate(pem ?? '').serialNumber;

suite('the own certificate with two instances on one PostgreSQL database', () => {
  let topo: Topology;
  let pg: TestPostgres;
  let connection: string;
  let root: string;
  const servers: TopologyServer[] = [];
  /** The instance that made the first order, and the other one. */
  let leader: TopologyServer;
  let follower: TopologyServer;

  beforeAll(async () => {
    topo = await startTopology({ secondNameServer: true });
    pg = await startPostgres();
    connection = await pg.createDatabase();
    root = await topo.pebble.issuingRoot();
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await topo?.stop();
    await pg?.destroy();
  });

  const addressOf = (s: TopologyServer): string => new URL(s.api).hostname;
  const nsOf = (s: TopologyServer): string => (addressOf(s) === topo.addresses.acmedns ? NS_NAME : NS2_NAME);
  const log = (): string =>
    `${servers.map((s) => `--- ${addressOf(s)} ---\n${s.logText()}`).join('\n')}\n--- topology ---\n${topo.output().slice(-6000)}`;
  // Orders pebble created: not its `POST /order-plz` lines, which a retry after a refused nonce repeats.
  const orders = (): number => (topo.pebble.output().match(/Added order "[^"]+" to the db/g) ?? []).length;
  const current = (s: TopologyServer): string | undefined => s.daemon.certificate?.current()?.cert;

  /** One instance at `address`: its own directory (SQLite unused, its own acme_cache_dir), the shared database. */
  const start = async (address: string): Promise<TopologyServer> => {
    const dir = fs.mkdtempSync(path.join(topo.dir, 'instance-'));
    const server = await startServer(topo, '', {
      dir,
      address,
      database: `engine = "postgres"\nconnection = "${connection}"`,
      records: [
        `${ZONE}. A ${address}`,
        `${NS_NAME}. A ${topo.addresses.acmedns}`,
        `${NS2_NAME}. A ${topo.addresses.acmedns2}`,
        `${ZONE}. NS ${NS_NAME}.`,
        `${ZONE}. NS ${NS2_NAME}.`,
      ],
      api: acmeApi(topo, dir, 'notification_email = "admin@example.test"'),
      acmeTiming: TIMING,
    });
    servers.push(server);
    return server;
  };

  it("makes one order, and both instances serve its certificate, verified against pebble's root", async () => {
    const before = orders();
    const [a, b] = await Promise.all([start(topo.addresses.acmedns), start(topo.addresses.acmedns2)]);
    await until('both instances serving a certificate', () => current(a) !== undefined && current(b) !== undefined, { timeoutMs: 120_000, log });
    expect(current(a)).toBe(current(b));
    expect(orders() - before).toBe(1);
    const ordering = [a, b].filter((s) => s.logText().includes('"msg":"requesting a certificate"'));
    expect(ordering).toHaveLength(1);
    leader = ordering[0]!;
    follower = leader === a ? b : a;
    // The other one took it from the store (at start, or while waiting for the lease holder).
    expect(follower.logText()).toMatch(/"msg":"serving the certificate another instance obtained"|"source":"store"/);
    const serial = serialOf(current(leader));
    for (const s of [a, b]) await until(`${s.api} presenting ${serial}`, async () => (await servedSerial(s.api, root).catch(() => undefined)) === serial, { timeoutMs: 120_000, log });
    // Neither has a shared file system: each wrote the certificate to its own acme_cache_dir.
    for (const s of [a, b]) {
      const chains = fs.readdirSync(s.dir, { recursive: true }).filter((f) => String(f).endsWith('fullchain.pem'));
      expect(chains).toHaveLength(1);
      expect(fs.readFileSync(path.join(s.dir, String(chains[0])), 'utf8')).toBe(current(leader));
    }
  });

  it.each([
    ['the first orderer', 'the other instance'],
    ['the other instance', 'the first orderer'],
  ])('the challenge is answered by either: %s renews while only %s is delegated', async (orderingRole) => {
    const ordering = orderingRole === 'the first orderer' ? leader : follower;
    const answering = ordering === leader ? follower : leader;
    // Leave only the answering instance in the delegation: the CA's resolver cannot ask the other.
    await topo.knot.removeRecord('auth', 'NS', `${nsOf(ordering)}.`);
    try {
      const referral = await udpQuery({ address: topo.addresses.knot, port: 53 }, { name: `_acme-challenge.${ZONE}`, type: 'TXT' });
      expect((referral.packet.authorities ?? []).flatMap((r) => (r.type === 'NS' ? [r.data] : []))).toEqual([nsOf(answering)]);
      const before = orders();
      const served = current(ordering);
      // Resolves only when pebble validated the value, which only the answering instance could show it.
      await ordering.daemon.certificate?.renewNow();
      expect(orders() - before).toBe(1);
      const renewed = current(ordering);
      expect(renewed).not.toBe(served);
      // The other instance picks the renewal up from the store.
      await until('the other instance serving the renewed certificate', () => current(answering) === renewed, { timeoutMs: 120_000, log });
      const serial = serialOf(renewed);
      for (const s of [ordering, answering]) {
        await until(`${s.api} presenting ${serial}`, async () => (await servedSerial(s.api, root).catch(() => undefined)) === serial, { timeoutMs: 120_000, log });
      }
    } finally {
      await topo.knot.addRecord('auth', 'NS', `${nsOf(ordering)}.`);
    }
  });

  it('used one ACME account for both instances, and each logged only its own orders', async () => {
    // pebble counts accounts as it creates them; an instance with a key of its own would be a second.
    const counts = [...topo.pebble.output().matchAll(/There are now (\d+) accounts in memory/g)].map((m) => Number(m[1]));
    expect(counts.at(-1)).toBe(1);
    const requested = (s: TopologyServer): number => (s.logText().match(/"msg":"requesting a certificate"/g) ?? []).length;
    expect([requested(leader), requested(follower)]).toEqual([2, 1]);
    expect(orders()).toBe(3);
  });
});
