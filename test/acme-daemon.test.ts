/**
 * The daemon's own certificate (`tls = "acme"`, pebble's directory) against a real CA: pebble
 * validates DNS-01 through unbound, which follows knot's delegation to the daemon's own DNS on
 * loopback port 53. The names are the zone and an api_domain outside it (delegated back into the
 * zone by a CNAME in the parent). Runs in order: each test starts from the state the last left.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import tls from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { rcodeOf, txtValues, udpQuery } from './support/dns-client';
import { acmeApi, startServer, type TopologyServer } from './topology/acmedns';
import { startTopology, topologySkipReason, ZONE, type Topology } from './topology';
import { until } from './support/poll';

jest.setTimeout(240_000);

const skip = topologySkipReason();
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`acme daemon tests skipped: ${skip}`);

/** A name outside our zone: its owner delegates `_acme-challenge` with a CNAME into our zone. */
const OUTSIDE = 'api.example.test';
/** Retries in a fraction of a second instead of the production 30 s and more. */
const TIMING = { backoff: { baseMs: 200, maxMs: 2000 }, visibility: { intervalMs: 100, timeoutMs: 5000 } };

/** GET /health on an open connection (keep-alive): the status line. */
function health(socket: tls.TLSSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer): void => {
      text += d.toString();
      if (text.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve(text.split('\r\n')[0] ?? '');
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(`GET /health HTTP/1.1\r\nHost: ${ZONE}\r\n\r\n`);
  });
}

/** GET `route` over HTTPS trusting only `root`, for the zone's name: the JSON body. */
function getJson(url: string, route: string, root: string): Promise<unknown> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = https.get({ host: hostname, port: Number(port), path: route, ca: root, servername: ZONE, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
  });
}

/** A verified TLS connection to the API at `url`, as a client trusting only `root` would open it. */
function connect(url: string, root: string, servername: string): Promise<tls.TLSSocket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), servername, ca: root }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Whether a TLS handshake with the API fails (no certificate served yet). */
async function handshakeFails(url: string, root: string): Promise<boolean> {
  return connect(url, root, ZONE).then(
    (s) => {
      s.destroy();
      return false;
    },
    () => true,
  );
}

suite('the daemon obtains, serves and renews its own certificate (tls = "acme", pebble)', () => {
  let topo: Topology;
  let server: TopologyServer | undefined;
  let dir: string;
  /** pebble's issuing root: a new one at every pebble start, so read again after each. */
  let root: string;

  beforeAll(async () => {
    topo = await startTopology();
    root = await topo.pebble.issuingRoot();
    dir = fs.mkdtempSync(path.join(topo.dir, 'own-cert-'));
    await topo.knot.setCname(`_acme-challenge.${OUTSIDE.split('.')[0]}`, `_acme-challenge.${OUTSIDE}.${ZONE}`);
  });
  afterAll(async () => {
    await server?.stop();
    await topo?.stop();
  });

  const start = (): Promise<TopologyServer> =>
    startServer(topo, '', { dir, api: acmeApi(topo, dir, `api_domain = "${OUTSIDE}"\nnotification_email = "admin@example.test"`), acmeTiming: TIMING });
  const log = (): string => `${server?.logText() ?? ''}\n--- topology ---\n${topo.output().slice(-4000)}`;
  const api = (): string => server?.api ?? '';
  const orders = (): number => (topo.pebble.output().match(/POST \/order-plz/g) ?? []).length;
  const dns = { address: '', port: 53 };

  it('with the CA unreachable at start: DNS serves at once, HTTPS waits, and it recovers alone when the CA is back', async () => {
    await topo.pebble.stop();
    server = await start();
    dns.address = topo.addresses.acmedns;
    expect(server.api).toMatch(/^https:\/\//);
    // DNS is up before any certificate: the zone answers authoritatively.
    const soa = await udpQuery(dns, { name: ZONE, type: 'SOA' });
    expect(rcodeOf(soa)).toBe('NOERROR');
    await until('a ca-unreachable failure', () => server?.logText().includes('"kind":"ca-unreachable"') ?? false, { timeoutMs: 120_000, log });
    expect(server.logText()).toMatch(/no usable certificate yet: HTTPS starts once the CA has issued one/);
    expect(await handshakeFails(api(), root)).toBe(true);
    expect(server.daemon.certificate?.current()).toBeUndefined();

    await topo.pebble.start();
    root = await topo.pebble.issuingRoot();
    await until('HTTPS serving', () => server?.logText().includes('API certificate installed: HTTPS serving') ?? false, { timeoutMs: 120_000, log });
    expect(server.daemon.certificate?.current()?.notAfter.getTime()).toBeGreaterThan(Date.now());
  });

  it("the HTTPS API presents a chain that verifies against pebble's root, for both names, and answers", async () => {
    for (const servername of [ZONE, OUTSIDE]) {
      // Only pebble's root is trusted: `authorized` means the chain verified up to it, for this name.
      const socket = await connect(api(), root, servername);
      expect(socket.authorized).toBe(true);
      const leaf = socket.getPeerX509Certificate();
      expect(leaf?.subjectAltName?.split(', ').sort()).toEqual([`DNS:${OUTSIDE}`, `DNS:${ZONE}`]);
      expect(leaf?.issuer).toMatch(/Pebble Intermediate CA/);
      socket.destroy();
    }
    // A whole request through the API over that HTTPS, trusting only pebble's root.
    const socket = await connect(api(), root, ZONE);
    expect(await health(socket)).toBe('HTTP/1.1 200 OK');
    const leaf = socket.getPeerX509Certificate();
    socket.destroy();
    // The public status shows the certificate served and when it is due for renewal (before it expires).
    const status = (await getJson(api(), '/status', root)) as { certificate: { notAfter: string; renewAt: string | null } };
    expect(status.certificate.notAfter).toBe(new Date(leaf?.validTo ?? '').toISOString());
    const renewAt = Date.parse(status.certificate.renewAt ?? '');
    expect(renewAt).toBeGreaterThan(Date.parse(leaf?.validFrom ?? ''));
    expect(renewAt).toBeLessThan(Date.parse(status.certificate.notAfter));
    // The challenge values were withdrawn once validated: our DNS no longer answers them.
    for (const name of [`_acme-challenge.${ZONE}`, `_acme-challenge.${OUTSIDE}.${ZONE}`]) {
      expect(txtValues(await udpQuery(dns, { name, type: 'TXT' }))).toEqual([]);
    }
  });

  it('a forced renewal replaces it in the running server while a client keeps its connection open', async () => {
    const kept = await connect(api(), root, ZONE);
    // Read before any data: Node forgets the peer certificate once TLS 1.3 session tickets arrive.
    const before = kept.getPeerX509Certificate()?.serialNumber;
    expect(before).toMatch(/^[0-9A-F]+$/);
    expect(await health(kept)).toBe('HTTP/1.1 200 OK');

    await server?.daemon.certificate?.renewNow();

    // The open connection still works: the swap did not drop it (nor renegotiate: TLS 1.3 cannot).
    expect(await health(kept)).toBe('HTTP/1.1 200 OK');
    expect(kept.destroyed).toBe(false);
    kept.destroy();
    const fresh = await connect(api(), root, ZONE);
    expect(fresh.authorized).toBe(true);
    expect(fresh.getPeerX509Certificate()?.serialNumber).not.toBe(before);
    fresh.destroy();
    expect(server?.logText()).toMatch(/API certificate replaced/);
  });

  it('a failed renewal keeps the old certificate serving and retries by itself', async () => {
    const served = server?.daemon.certificate?.current()?.cert;
    await topo.pebble.stop();
    await expect(server?.daemon.certificate?.renewNow()).rejects.toThrow();
    expect(server?.daemon.certificate?.current()?.cert).toBe(served);
    const failure = server?.logText().split('\n').filter((l) => l.includes('certificate request failed')).at(-1);
    expect(failure).toMatch(/"kind":"ca-unreachable"/);
    expect(failure).toMatch(/"serving":"previous certificate"/);
    const still = await connect(api(), root, ZONE);
    expect(still.authorized).toBe(true);
    still.destroy();

    await topo.pebble.start();
    root = await topo.pebble.issuingRoot();
    await until('the retried renewal', () => server?.daemon.certificate?.current()?.cert !== served, { timeoutMs: 120_000, log });
    const socket = await connect(api(), root, ZONE);
    expect(socket.authorized).toBe(true);
    expect(socket.getPeerX509Certificate()?.serialNumber).toBe(new X509Certificate(server?.daemon.certificate?.current()?.cert ?? '').serialNumber);
    socket.destroy();
  });

  it('a restart serves the cached certificate at once and asks the CA for nothing', async () => {
    const servedSerial = server?.daemon.certificate?.current()?.cert;
    await server?.stop();
    const ordersBefore = orders();
    server = await start();
    // Served by the time startDaemon resolved: HTTPS starts with DNS.
    expect(server.daemon.certificate?.current()?.cert).toBe(servedSerial);
    const socket = await connect(api(), root, ZONE);
    expect(socket.authorized).toBe(true);
    socket.destroy();
    expect(server.logText()).toMatch(/serving the cached certificate/);
    // The manager would order at once if it meant to; give it the time to show it does not.
    await sleep(1000);
    expect(orders()).toBe(ordersBefore);
    expect(server.logText()).not.toMatch(/requesting a certificate/);
  });
});
