/**
 * `tls = "acme"` with external account binding (RFC 8555 §7.3.4), as ZeroSSL, Google and
 * step-ca require: pebble is started demanding EAB; the daemon gets its certificate with the
 * configured kid + HMAC key and fails, saying why, without them.
 */
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { acmeApi, startServer, type TopologyServer } from './topology/acmedns';
import { startTopology, topologySkipReason, ZONE, type Topology } from './topology';
import { until } from './support/poll';

jest.setTimeout(180_000);

const skip = topologySkipReason();
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`acme EAB tests skipped: ${skip}`);

/** One of pebble's example EAB keys (base64url HMAC key). */
const KID = 'kid-1';
const HMAC = 'zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W';
const TIMING = { backoff: { baseMs: 500, maxMs: 5000 }, visibility: { intervalMs: 100, timeoutMs: 5000 } };

suite('external account binding against pebble', () => {
  let topo: Topology;
  const servers: TopologyServer[] = [];

  beforeAll(async () => {
    topo = await startTopology({ pebbleEabKeys: { [KID]: HMAC } });
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await topo?.stop();
  });

  async function start(eab: string): Promise<{ server: TopologyServer; log: () => string }> {
    const dir = fs.mkdtempSync(path.join(topo.dir, 'eab-'));
    const server = await startServer(topo, '', { dir, api: acmeApi(topo, dir, eab), acmeTiming: TIMING });
    servers.push(server);
    return { server, log: () => `${server.logText()}\n${topo.output().slice(-3000)}` };
  }

  it('binds the account with the configured kid and HMAC key and gets the certificate', async () => {
    const { server, log } = await start(`acme_eab_kid = "${KID}"\nacme_eab_hmac_key = "${HMAC}"`);
    await until('the certificate', () => server.daemon.certificate?.current() !== undefined, { timeoutMs: 120_000, log });
    expect(server.daemon.certificate?.current()?.notAfter.getTime()).toBeGreaterThan(Date.now());
    const { hostname, port } = new URL(server.api);
    const root = await topo.pebble.issuingRoot();
    const socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect({ host: hostname, port: Number(port), servername: ZONE, ca: root }, () => resolve(s));
      s.once('error', reject);
    });
    expect(socket.authorized).toBe(true);
    socket.destroy();
    await server.stop();
  });

  it('without EAB the account is refused and the log says so', async () => {
    const { server, log } = await start('');
    await until('the refusal', () => /certificate request failed/.test(server.logText()), { timeoutMs: 120_000, log });
    await server.stop();
    expect(server.logText()).toMatch(/"kind":"account-refused","step":"account"[^\n]*externalAccountBinding[^\n]*acme_eab_kid/);
    expect(server.daemon.certificate?.current()).toBeUndefined();
  });
});
