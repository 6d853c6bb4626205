/**
 * `tls = "acme"` with external account binding (RFC 8555 §7.3.4), as ZeroSSL, Google and
 * step-ca require: pebble is started demanding EAB; the manager gets its certificate with the
 * configured kid + HMAC key and fails, saying why, without them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createAcmeManager, type AcmeManager } from '../src/acme';
import type { ApiConfig } from '../src/config/types';
import { openSqliteStore, type Store } from '../src/store';
import { queryUdp, txtValues } from './support/dns-client';
import { HttpsStandIn, waitFor } from './topology/https-stand-in';
import { startMiniAuth, type MiniAuth } from './topology/mini-auth';
import { NS_NAME, startTopology, topologySkipReason, ZONE, type Topology } from './topology';

jest.setTimeout(180_000);

const skip = topologySkipReason();
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`acme EAB tests skipped: ${skip}`);

/** One of pebble's example EAB keys (base64url HMAC key). */
const KID = 'kid-1';
const HMAC = 'zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W';

suite('external account binding against pebble', () => {
  let topo: Topology;
  let work: string;
  let store: Store;
  let auth: MiniAuth;
  const managers: AcmeManager[] = [];
  const servers: HttpsStandIn[] = [];

  beforeAll(async () => {
    topo = await startTopology({ pebbleEabKeys: { [KID]: HMAC } });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-eab-'));
    store = openSqliteStore({ file: path.join(work, 'db.sqlite'), txt: { keep: 2, maxAgeSeconds: 0 } });
    auth = await startMiniAuth({ address: topo.addresses.acmedns, port: 53, zone: ZONE, nsName: NS_NAME, store });
  });
  afterAll(async () => {
    for (const m of managers) await m.stop();
    for (const s of servers) await s.close();
    await auth?.close();
    await store?.close();
    await topo?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  function start(cache: string, eab: { kid: string; hmac: string }): { manager: AcmeManager; server: HttpsStandIn; log: () => string } {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const config: ApiConfig = {
      ip: '127.0.0.1', port: 0, tls: 'acme', tlsCertPrivkey: '', tlsCertFullchain: '', acmeCacheDir: path.join(work, cache),
      notificationEmail: '', acmeDirectory: topo.pebble.directoryUrl, acmeEabKid: eab.kid, acmeEabHmacKey: eab.hmac, apiDomain: '',
      disableRegistration: false, corsOrigins: ['*'], useHeader: false, headerName: '', trustedProxies: [], maxBodyBytes: 65536,
      hsts: { enabled: false, maxAge: 0, includeSubdomains: false, preload: false },
    };
    const server = new HttpsStandIn();
    const manager = createAcmeManager({
      config,
      zone: ZONE,
      names: [ZONE],
      store,
      checkOwnAnswer: async (name, value) =>
        txtValues(await queryUdp({ address: topo.addresses.acmedns, port: 53 }, name, 'TXT')).includes(value),
      logger: pino({ level: 'debug' }, sink),
      onCertificate: (pair) => server.onCertificate(pair),
      caCertificates: topo.pebble.httpsCa,
      backoff: { baseMs: 500, maxMs: 5000 },
    });
    managers.push(manager);
    servers.push(server);
    return { manager, server, log: () => `${lines.join('')}\n${topo.output().slice(-3000)}` };
  }

  it('binds the account with the configured kid and HMAC key and gets the certificate', async () => {
    const { manager, server, log } = start('with-eab', { kid: KID, hmac: HMAC });
    await manager.start();
    await waitFor('the certificate', () => server.delivered.length === 1, log);
    expect(manager.current()?.notAfter.getTime()).toBeGreaterThan(Date.now());
  });

  it('without EAB the account is refused and the log says so', async () => {
    const { manager, server, log } = start('without-eab', { kid: '', hmac: '' });
    await manager.start();
    await waitFor('the refusal', () => /certificate request failed/.test(log()), log);
    await manager.stop();
    expect(log()).toMatch(/"kind":"account-refused","step":"account"[^\n]*externalAccountBinding[^\n]*acme_eab_kid/);
    expect(server.delivered).toHaveLength(0);
  });
});
