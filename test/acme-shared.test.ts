/**
 * The own certificate shared through the store, without a CA: what an instance serves at start
 * (store or files, whichever lives longer, each side brought up to date), that an instance which
 * does not get the order lease orders nothing and serves what the holder stores, that a newer
 * certificate stored by another instance is picked up while running, and that the ACME account
 * key is one for all. The CA's directory points at a closed port: any order shows as a failure.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createAccountClient } from '../src/acme/order/account';
import { createCertStore } from '../src/acme/storage/cert-store';
import type { CertificatePair } from '../src/acme/certificate';
import { createAcmeManager } from '../src/acme/manager';
import type { AcmeManager } from '../src/acme/manager-types';
import { certificateIdentity, OrderLeaseHeldError } from '../src/acme/storage/shared-certificate';
import type { ApiConfig } from '../src/config';
import { openSqliteStore, type Store } from '../src/store';
import { captureLogger, type CapturedLog } from './support/capture-logger';
import { testConfig } from './support/config';
import { makeCa, makeLeaf, type PemFiles } from './topology/openssl';
import { until } from './support/poll';

// Nothing listens on port 1: a directory request fails at once (ECONNREFUSED).
const DIRECTORY = 'https://127.0.0.1:1/dir';
const NAMES = ['auth.example.org', 'api.example.org'];
const IDENTITY = certificateIdentity(DIRECTORY, NAMES);
const LEASE = `acme-order:${IDENTITY}`;

function apiConfig(cacheDir: string): ApiConfig {
  return testConfig({ api: { tls: 'acme', acme_cache_dir: cacheDir, acme_directory: DIRECTORY, api_domain: 'api.example.org' } }).api;
}

describe('the own certificate shared through the store', () => {
  let work: string;
  let leaves: Record<'short' | 'long' | 'longer' | 'longest', PemFiles>;
  let dir: string;
  let store: Store;
  let managers: AcmeManager[];

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-shared-certs-'));
    const ca = makeCa(work, 'ca', 10);
    leaves = {
      short: makeLeaf(work, ca, 'short', { dns: NAMES }, 2),
      long: makeLeaf(work, ca, 'long', { dns: NAMES }, 3),
      longer: makeLeaf(work, ca, 'longer', { dns: NAMES }, 4),
      longest: makeLeaf(work, ca, 'longest', { dns: NAMES }, 5),
    };
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-shared-'));
    store = openSqliteStore({ file: path.join(dir, 'db.sqlite'), txt: { keep: 2, maxAgeSeconds: 0 }, zone: 'auth.example.org' });
    managers = [];
  });
  afterEach(async () => {
    for (const m of managers) await m.stop();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const pair = (leaf: PemFiles): CertificatePair => ({ key: leaf.key, cert: leaf.cert });
  const notAfter = (leaf: PemFiles): number => Date.parse(new X509Certificate(leaf.cert).validTo);
  const putInStore = (leaf: PemFiles): Promise<void> =>
    store.putCertificate(IDENTITY, { certPem: leaf.cert, keyPem: leaf.key, notAfter: notAfter(leaf) });

  function manager(cacheDir: string, sharing: { pollMs?: number; waitPollMs?: number } = {}): { m: AcmeManager; delivered: string[]; log: CapturedLog } {
    const log = captureLogger();
    log.logger.level = 'debug';
    const delivered: string[] = [];
    const m = createAcmeManager({
      config: apiConfig(path.join(dir, cacheDir)),
      zone: 'auth.example.org',
      names: NAMES,
      store,
      checkOwnAnswer: async () => false,
      logger: log.logger,
      onCertificate: (p) => void delivered.push(p.cert),
      backoff: { baseMs: 60_000, maxMs: 60_000 },
      sharing: { pollMs: 60_000, waitPollMs: 60_000, ...sharing },
    });
    managers.push(m);
    return { m, delivered, log };
  }
  const msgs = (log: CapturedLog): string[] => log.lines.map((l) => String(l.msg));

  it('starts from the store without a shared file system, and writes the files too', async () => {
    await putInStore(leaves.long);
    const { m, delivered, log } = manager('cache');
    await m.start();
    expect(delivered).toEqual([leaves.long.cert]);
    expect(log.lines.find((l) => l.msg === 'serving the cached certificate')?.source).toBe('store');
    const files = await createCertStore({ dir: path.join(dir, 'cache'), directoryUrl: DIRECTORY, names: NAMES }).loadCertificate(Date.now());
    expect(files.found?.pair.cert).toBe(leaves.long.cert);
  });

  it('shares a certificate found only in acme_cache_dir through an empty store (one instance before)', async () => {
    await createCertStore({ dir: path.join(dir, 'cache'), directoryUrl: DIRECTORY, names: NAMES }).saveCertificate(pair(leaves.short));
    const { m, delivered } = manager('cache');
    await m.start();
    expect(delivered).toEqual([leaves.short.cert]);
    await expect(store.getCertificate(IDENTITY)).resolves.toEqual({ certPem: leaves.short.cert, keyPem: leaves.short.key, notAfter: notAfter(leaves.short) });
  });

  it.each([
    ['the files', 'longer', 'long', 'longer'],
    ['the store', 'long', 'longer', 'longer'],
  ] as const)('serves whichever lives longer (%s here) and brings the other side up to date', async (_w, inFiles, inStore, served) => {
    await createCertStore({ dir: path.join(dir, 'cache'), directoryUrl: DIRECTORY, names: NAMES }).saveCertificate(pair(leaves[inFiles]));
    await putInStore(leaves[inStore]);
    const { m, delivered } = manager('cache');
    await m.start();
    expect(delivered).toEqual([leaves[served].cert]);
    expect((await store.getCertificate(IDENTITY))?.certPem).toBe(leaves[served].cert);
    const files = await createCertStore({ dir: path.join(dir, 'cache'), directoryUrl: DIRECTORY, names: NAMES }).loadCertificate(Date.now());
    expect(files.found?.pair.cert).toBe(leaves[served].cert);
  });

  it('does not order while another instance holds the lease, and serves what that instance stores', async () => {
    expect(await store.acquireLease(LEASE, 'other-instance', 600)).toBe(true);
    const { m, delivered, log } = manager('cache', { waitPollMs: 50 });
    await m.start();
    await log.waitFor('another instance is ordering the certificate; waiting for it in the store');
    await expect(m.renewNow()).rejects.toBeInstanceOf(OrderLeaseHeldError);
    await putInStore(leaves.long);
    await until('the stored certificate to be served', () => delivered.length === 1, { everyMs: 20 });
    expect(delivered).toEqual([leaves.long.cert]);
    expect(m.current()?.cert).toBe(leaves.long.cert);
    expect(msgs(log)).toContain('serving the certificate another instance obtained');
    // It never asked the CA (which would have failed: nothing listens there).
    expect(msgs(log)).not.toContain('requesting a certificate');
    expect(msgs(log).filter((msg) => msg.startsWith('certificate request failed'))).toEqual([]);
    // Told once, not at every look.
    expect(msgs(log).filter((msg) => msg.startsWith('another instance is ordering'))).toHaveLength(1);
  });

  it('picks up a newer certificate another instance stored while it runs, never an older one', async () => {
    await putInStore(leaves.long);
    const { m, delivered } = manager('cache', { pollMs: 30 });
    await m.start();
    expect(delivered).toEqual([leaves.long.cert]);
    await putInStore(leaves.longer);
    await until('the newer certificate', () => delivered.length === 2, { everyMs: 20 });
    await putInStore(leaves.short);
    await putInStore(leaves.longest);
    await until('the newest certificate', () => delivered.length === 3, { everyMs: 20 });
    expect(delivered).toEqual([leaves.long.cert, leaves.longer.cert, leaves.longest.cert]);
  });

  it('takes the lease to order and, after a failure, keeps it until its own retry (so the others do not pile on)', async () => {
    const { m, log } = manager('cache');
    await m.start();
    await until('a failed attempt', () => msgs(log).some((msg) => msg.startsWith('certificate request failed')), { everyMs: 20 });
    expect(log.lines.find((l) => String(l.msg).startsWith('certificate request failed'))?.kind).toBe('ca-unreachable');
    const now = Math.floor(Date.now() / 1000);
    // The retry is 30-60 s away (the backoff above, jittered): another instance may not order
    // meanwhile, and the lease runs until then (by the database's clock), not for its whole ttl.
    expect(await store.acquireLease(LEASE, 'other-instance', 600)).toBe(false);
    const db = new Database(path.join(dir, 'db.sqlite'), { readonly: true });
    const expiresAt = db.prepare('SELECT expires_at FROM leases WHERE name = ?').pluck().get(LEASE) as number;
    db.close();
    expect(expiresAt).toBeGreaterThanOrEqual(now + 28);
    expect(expiresAt).toBeLessThanOrEqual(now + 60);
  });

  it('releases the lease when stopped mid-wait', async () => {
    const { m, log } = manager('cache');
    await m.start();
    await until('a failed attempt', () => msgs(log).some((msg) => msg.startsWith('certificate request failed')), { everyMs: 20 });
    await m.stop();
    expect(await store.acquireLease(LEASE, 'other-instance', 600)).toBe(true);
  });

  it('uses one ACME account key for every instance: the first file found, else a new one, claimed in the store', async () => {
    const file = (cache: string): string => path.join(dir, cache, 'acmedns', IDENTITY.split('/')[0]!, 'account.key');
    const account = (cache: string) =>
      createAccountClient({ directoryUrl: DIRECTORY, config: apiConfig(cache), store, certStore: createCertStore({ dir: path.join(dir, cache), directoryUrl: DIRECTORY, names: NAMES }), logger: captureLogger().logger });
    // The first instance ran alone before: its key goes into the store.
    await createCertStore({ dir: path.join(dir, 'a'), directoryUrl: DIRECTORY, names: NAMES }).saveAccountKey(leaves.short.key);
    await account('a').get();
    await expect(store.getAcmeAccountKey(DIRECTORY)).resolves.toBe(leaves.short.key);
    // Another instance with a key of its own, and one with none, both take the shared one.
    await createCertStore({ dir: path.join(dir, 'b'), directoryUrl: DIRECTORY, names: NAMES }).saveAccountKey(leaves.long.key);
    await account('b').get();
    await account('c').get();
    expect(fs.readFileSync(file('b'), 'utf8')).toBe(leaves.short.key);
    expect(fs.readFileSync(file('c'), 'utf8')).toBe(leaves.short.key);
  });
});
