/**
 * The own-certificate manager on its own, against a real CA (pebble): the one behaviour the daemon
 * cannot show, because its DNS always answers what the store holds: when our own answer never
 * shows the challenge value, the CA is never told to validate. The daemon-level behaviour
 * (obtain, serve, renew, restart, recover) is in acme-daemon.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createAcmeManager } from '../src/acme';
import { createSelfQuery } from '../src/dns';
import type { ApiConfig } from '../src/config';
import { openSqliteStore, type Store } from '../src/store';
import { testConfig } from './support/config';
import { HttpsStandIn } from './topology/https-stand-in';
import { startTopology, topologySkipReason, ZONE, type Topology } from './topology';
import { until } from './support/poll';

jest.setTimeout(180_000);

const skip = topologySkipReason();
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`acme-manager tests skipped: ${skip}`);

function apiConfig(cacheDir: string, directory: string): ApiConfig {
  return testConfig({ api: { tls: 'acme', acme_cache_dir: cacheDir, notification_email: 'admin@example.test', acme_directory: directory } }).api;
}

suite('own certificate manager against pebble', () => {
  let topo: Topology;
  let work: string;
  let store: Store;

  beforeAll(async () => {
    topo = await startTopology();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-acme-'));
    store = openSqliteStore({ file: path.join(work, 'db.sqlite'), txt: { keep: 2, maxAgeSeconds: 0 }, zone: 'auth.example.org' });
  });
  afterAll(async () => {
    await store?.close();
    await topo?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('does not ask the CA to validate when our own DNS does not answer the challenge', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const server = new HttpsStandIn();
    // The real over-the-wire check, aimed where nothing listens: our "own answer" never shows the value.
    const blind = createSelfQuery({ udp: [{ address: `${topo.addresses.net}.5`, family: 'IPv4', port: 53 }], tcp: [] }, 200);
    const m = createAcmeManager({
      config: apiConfig(path.join(work, 'cache-blind'), topo.pebble.directoryUrl),
      zone: ZONE,
      names: [ZONE],
      store,
      checkOwnAnswer: blind,
      logger: pino({ level: 'debug' }, sink),
      onCertificate: (pair) => server.onCertificate(pair),
      caCertificates: topo.pebble.httpsCa,
      backoff: { baseMs: 200, maxMs: 2000 },
      visibility: { intervalMs: 100, timeoutMs: 1000 },
    });
    const log = (): string => `${lines.join('')}\n--- topology ---\n${topo.output().slice(-4000)}`;
    const challengesBefore = (topo.pebble.output().match(/POST \/chalZ\//g) ?? []).length;
    try {
      await m.start();
      await until('a challenge-not-seen failure', () => lines.some((l) => l.includes('"kind":"challenge-not-seen"')), { timeoutMs: 120_000, log });
    } finally {
      await m.stop();
      await server.close();
    }
    expect(lines.find((l) => l.includes('challenge-not-seen'))).toMatch(/at _acme-challenge\.auth\.example\.test TXT/);
    expect((topo.pebble.output().match(/POST \/chalZ\//g) ?? []).length).toBe(challengesBefore);
    expect(server.delivered).toHaveLength(0);
    // The withdrawn value is gone from the store.
    expect(await store.challengeValues(`_acme-challenge.${ZONE}`, Math.floor(Date.now() / 1000))).toEqual([]);
  });
});
