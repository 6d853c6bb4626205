/**
 * The own-certificate manager against a real CA: pebble validates DNS-01 through unbound, which
 * follows knot's delegation to our zone on loopback port 53. Until the daemon's DNS answers its own
 * challenge (phase 2), test/topology/mini-auth serves the zone from the same real SQLite store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { createAcmeManager, type AcmeManager } from '../src/acme';
import type { ApiConfig } from '../src/config/types';
import { openSqliteStore, type Store } from '../src/store';
import { queryUdp, txtValues } from './support/dns-client';
import { connect, HttpsStandIn, request, waitFor } from './topology/https-stand-in';
import { startMiniAuth, type MiniAuth } from './topology/mini-auth';
import { NS_NAME, startTopology, topologySkipReason, ZONE, type Topology } from './topology';

jest.setTimeout(180_000);

const skip = topologySkipReason();
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`acme-manager tests skipped: ${skip}`);

/** A name outside our zone: its owner delegates `_acme-challenge` with a CNAME into our zone. */
const OUTSIDE = 'api.example.test';

function apiConfig(cacheDir: string, directory: string): ApiConfig {
  return {
    ip: '127.0.0.1', port: 0, tls: 'acme', tlsCertPrivkey: '', tlsCertFullchain: '', acmeCacheDir: cacheDir,
    notificationEmail: 'admin@example.test', acmeDirectory: directory, acmeEabKid: '', acmeEabHmacKey: '', apiDomain: OUTSIDE,
    disableRegistration: false, corsOrigins: ['*'], useHeader: false, headerName: '', trustedProxies: [], maxBodyBytes: 65536,
    hsts: { enabled: false, maxAge: 0, includeSubdomains: false, preload: false },
  };
}

suite('own certificate from a real CA (pebble) through our own DNS', () => {
  let topo: Topology;
  let work: string;
  let store: Store;
  let auth: MiniAuth;
  let lines: string[];
  const managers: AcmeManager[] = [];
  const servers: HttpsStandIn[] = [];

  beforeAll(async () => {
    topo = await startTopology();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-acme-'));
    store = openSqliteStore({ file: path.join(work, 'db.sqlite'), txt: { keep: 2, maxAgeSeconds: 0 } });
    auth = await startMiniAuth({ address: topo.addresses.acmedns, port: 53, zone: ZONE, nsName: NS_NAME, store });
    await topo.knot.setCname(`_acme-challenge.${OUTSIDE.split('.')[0]}`, `_acme-challenge.${OUTSIDE}.${ZONE}`);
  });
  afterAll(async () => {
    for (const m of managers) await m.stop();
    for (const s of servers) await s.close();
    await auth?.close();
    await store?.close();
    await topo?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const logText = (): string => `${lines.join('')}\n--- topology ---\n${topo.output().slice(-4000)}`;

  function manager(cacheDir: string, server: HttpsStandIn, dnsAddress?: string): AcmeManager {
    lines = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const m = createAcmeManager({
      config: apiConfig(cacheDir, topo.pebble.directoryUrl),
      zone: ZONE,
      names: [ZONE, OUTSIDE],
      store,
      // Our own authoritative answer, asked directly at our listen address (never a resolver).
      checkOwnAnswer: async (name, value) =>
        txtValues(await queryUdp({ address: dnsAddress ?? topo.addresses.acmedns, port: 53 }, name, 'TXT')).includes(value),
      logger: pino({ level: 'debug' }, sink),
      onCertificate: (pair) => server.onCertificate(pair),
      caCertificates: topo.pebble.httpsCa,
      backoff: { baseMs: 200, maxMs: 2000 },
      visibility: { intervalMs: 100, timeoutMs: 3000 },
    });
    managers.push(m);
    servers.push(server);
    return m;
  }

  const orders = (): number => (topo.pebble.output().match(/POST \/order-plz/g) ?? []).length;

  it('obtains a certificate whose chain verifies against pebble\'s root, for both names, and serves it', async () => {
    const server = new HttpsStandIn();
    const m = manager(path.join(work, 'cache'), server);
    await m.start();
    await waitFor('the first certificate', () => server.delivered.length === 1, logText);
    const root = await topo.pebble.issuingRoot();
    const socket = await connect(server.port, root, ZONE);
    expect(socket.authorized).toBe(true);
    const leaf = socket.getPeerX509Certificate();
    expect(leaf?.subjectAltName?.split(', ').sort()).toEqual([`DNS:${OUTSIDE}`, `DNS:${ZONE}`]);
    expect(leaf?.issuer).toMatch(/Pebble Intermediate CA/);
    socket.destroy();
    // The challenge values were withdrawn once validated.
    const now = Math.floor(Date.now() / 1000);
    expect(await store.challengeValues(`_acme-challenge.${ZONE}`, now)).toEqual([]);
    expect(await store.challengeValues(`_acme-challenge.${OUTSIDE}.${ZONE}`, now)).toEqual([]);
    expect(m.current()?.notAfter.getTime()).toBeGreaterThan(Date.now());
  });

  it('a forced renewal replaces it in the running server while a client keeps its connection open', async () => {
    const m = managers[0] as AcmeManager;
    const server = servers[0] as HttpsStandIn;
    const root = await topo.pebble.issuingRoot();
    const kept = await connect(server.port, root, ZONE);
    expect(await request(kept, ZONE)).toMatch(/^HTTP\/1\.1 200/);
    const before = kept.getPeerX509Certificate()?.serialNumber;

    await m.renewNow();

    expect(server.delivered).toHaveLength(2);
    // The open connection still works: the swap did not drop it.
    expect(await request(kept, ZONE)).toMatch(/^HTTP\/1\.1 200/);
    kept.destroy();
    const fresh = await connect(server.port, root, ZONE);
    expect(fresh.authorized).toBe(true);
    expect(fresh.getPeerX509Certificate()?.serialNumber).not.toBe(before);
    fresh.destroy();
  });

  it('a failed renewal keeps the old certificate serving and retries by itself', async () => {
    const m = managers[0] as AcmeManager;
    const server = servers[0] as HttpsStandIn;
    const served = m.current()?.cert;
    await topo.pebble.stop();
    await expect(m.renewNow()).rejects.toThrow();
    expect(m.current()?.cert).toBe(served);
    expect(server.delivered).toHaveLength(2);
    const failure = lines.find((l) => l.includes('certificate request failed'));
    expect(failure).toMatch(/"kind":"ca-unreachable"/);
    expect(failure).toMatch(/"serving":"previous certificate"/);
    expect(failure).toMatch(/"retryInMs":\d+/);
    await topo.pebble.start();
    await waitFor('the retried renewal', () => server.delivered.length === 3, logText);
    expect(m.current()?.cert).not.toBe(served);
    const socket = await connect(server.port, await topo.pebble.issuingRoot(), ZONE);
    expect(socket.authorized).toBe(true);
    socket.destroy();
  });

  it('does not ask the CA to validate when our own DNS does not answer the challenge', async () => {
    const server = new HttpsStandIn();
    // Nothing listens there: our "own answer" never shows the value.
    const m = manager(path.join(work, 'cache-blind'), server, `${topo.addresses.net}.5`);
    const challengesBefore = (topo.pebble.output().match(/POST \/chalZ\//g) ?? []).length;
    await m.start();
    await waitFor('a challenge-not-seen failure', () => lines.some((l) => l.includes('"kind":"challenge-not-seen"')), logText);
    await m.stop();
    expect(lines.find((l) => l.includes('challenge-not-seen'))).toMatch(/at _acme-challenge\.(auth|api)\.example\.test[a-z.]* TXT/);
    expect((topo.pebble.output().match(/POST \/chalZ\//g) ?? []).length).toBe(challengesBefore);
    expect(server.delivered).toHaveLength(0);
    // The withdrawn value is gone from the store.
    expect(await store.challengeValues(`_acme-challenge.${ZONE}`, Math.floor(Date.now() / 1000))).toEqual([]);
  });

  it('a restart serves the cached certificate at once and asks the CA for nothing', async () => {
    const first = managers[0] as AcmeManager;
    const servedSerial = servers[0]?.delivered.at(-1)?.cert;
    await first.stop();
    const ordersBefore = orders();
    const server = new HttpsStandIn();
    const restarted = manager(path.join(work, 'cache'), server);
    await restarted.start();
    // Delivered during start(), before it resolved: HTTPS can start with DNS.
    expect(server.delivered).toHaveLength(1);
    expect(server.delivered[0]?.cert).toBe(servedSerial);
    expect(lines.join('')).toMatch(/serving the cached certificate/);
    await sleep(1000);
    expect(orders()).toBe(ordersBefore);
    expect(lines.join('')).not.toMatch(/requesting a certificate/);
  });

  it('starts while the CA is unreachable, says so, and recovers alone once it is back', async () => {
    await topo.pebble.stop();
    const server = new HttpsStandIn();
    const m = manager(path.join(work, 'cache-unreachable'), server);
    await m.start();
    await waitFor('a ca-unreachable failure', () => lines.some((l) => l.includes('"kind":"ca-unreachable"')), logText);
    expect(server.delivered).toHaveLength(0);
    expect(lines.find((l) => l.includes('ca-unreachable'))).toMatch(/ECONNREFUSED/);
    await topo.pebble.start();
    await waitFor('the certificate after the CA came back', () => server.delivered.length === 1, logText);
    const socket = await connect(server.port, await topo.pebble.issuingRoot(), ZONE);
    expect(socket.authorized).toBe(true);
    socket.destroy();
  });
});
