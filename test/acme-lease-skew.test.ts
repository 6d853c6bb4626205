/**
 * Issue 8, item 14: two instances on one PostgreSQL database whose clocks disagree by 20 minutes
 * cannot both hold the order lease. Instance A (right clock) takes it and, after a failed order,
 * keeps it until its retry a minute later; instance B's clock runs 20 minutes ahead, so by B's
 * clock A's lease ran out long ago. With the instances' own clocks deciding, B took the lease over
 * and ordered too; the database's clock decides now, so B waits. The CA's directory points at a
 * closed port, so an order shows as a logged failure and never reaches a CA.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAcmeManager } from '../src/acme/manager';
import type { AcmeManager } from '../src/acme/manager-types';
import { OrderLeaseHeldError } from '../src/acme/storage/shared-certificate';
import { openPostgresStore, type Store } from '../src/store';
import { testConfig } from './support/config';
import { captureLogger, type CapturedLog } from './support/capture-logger';
import { startPostgres, type TestPostgres } from './support/postgres';

// Nothing listens on port 1: a directory request fails at once (ECONNREFUSED).
const DIRECTORY = 'https://127.0.0.1:1/dir';
const NAMES = ['auth.example.org'];
const SKEW_MS = 20 * 60_000;

let pg: TestPostgres;
let dir: string;
const stores: Store[] = [];
const managers: AcmeManager[] = [];
beforeAll(async () => {
  pg = await startPostgres();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-lease-skew-'));
}, 120_000);
afterAll(async () => {
  for (const m of managers) await m.stop();
  for (const s of stores) await s.close();
  await pg?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** One instance: its own pool on the shared database, its own cache directory, its own clock. */
async function instance(connection: string, name: string, now: () => number): Promise<{ m: AcmeManager; log: CapturedLog }> {
  const store = await openPostgresStore({ connection, txt: { keep: 2, maxAgeSeconds: 0 }, zone: 'auth.example.org' });
  stores.push(store);
  const log = captureLogger();
  log.logger.level = 'debug';
  const m = createAcmeManager({
    config: testConfig({ api: { tls: 'acme', acme_directory: DIRECTORY, acme_cache_dir: path.join(dir, name) } }).api,
    zone: 'auth.example.org',
    names: NAMES,
    store,
    checkOwnAnswer: async () => false,
    logger: log.logger,
    onCertificate: () => undefined,
    // A failed order keeps the lease until the retry, 60 s later (by the database's clock).
    backoff: { baseMs: 60_000, maxMs: 60_000 },
    sharing: { pollMs: 60_000, waitPollMs: 60_000 },
    now,
  });
  managers.push(m);
  return { m, log };
}

const waiting = (log: CapturedLog): boolean =>
  log.lines.some((l) => l.msg === 'another instance is ordering the certificate; waiting for it in the store');
const ordered = (log: CapturedLog): boolean => log.lines.some((l) => String(l.msg).startsWith('certificate request failed'));

test('an instance whose clock runs 20 minutes ahead does not take over a running lease on PostgreSQL', async () => {
  const connection = await pg.createDatabase();
  const a = await instance(connection, 'a', Date.now);
  await a.m.start();
  // A ordered (and failed at once): it holds the lease until its retry a minute from now.
  for (let i = 0; i < 200 && !ordered(a.log); i++) await new Promise((r) => setTimeout(r, 50));
  expect(ordered(a.log)).toBe(true);

  const b = await instance(connection, 'b', () => Date.now() + SKEW_MS);
  await b.m.start();
  // B either waits for A (right) or takes the lease and orders (wrong); whichever shows first.
  for (let i = 0; i < 200 && !waiting(b.log) && !ordered(b.log); i++) await new Promise((r) => setTimeout(r, 50));
  expect(waiting(b.log)).toBe(true);
  await expect(b.m.renewNow()).rejects.toBeInstanceOf(OrderLeaseHeldError);
  // B never ordered: only A did.
  expect(ordered(b.log)).toBe(false);
  expect(b.log.lines.map((l) => String(l.msg))).not.toContain('requesting a certificate');
});
