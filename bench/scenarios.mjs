// The servers measured, one scenario each: how to start it and which measures it gets. A new
// backend (PostgreSQL) is one more entry with its own `database` and seeding.
import path from 'node:path';
import { makeAccounts, seedPostgres, seedSqlite, sharedPasswordHash, txtValue } from './accounts.mjs';
import { startAcmeDns } from './acme-dns.mjs';
import { startKnot } from './knot.mjs';
import { dnsQuery, freePort, QTYPE } from './net.mjs';
import { startPostgres } from './postgres.mjs';
import { writeQueryFiles } from './queries.mjs';
import { copyStore, millionStore } from './million.mjs';
import { startPinned, waitReady } from './proc.mjs';
import { registerAndUpdate, startOurs } from './server.mjs';

/**
 * The accounts and query files every scenario shares, made once. Account 0 is the one
 * registered through the API when the one-account scenario ran first (else a generated one).
 */
function sharedData(ctx) {
  if (!ctx.shared) {
    const accounts = makeAccounts(ctx.accountCount, ctx.first);
    ctx.shared = { accounts, queries: writeQueryFiles(ctx.tmp, ctx.zone.domain, accounts) };
  }
  return ctx.shared;
}

/**
 * The bench's one PostgreSQL server, started on first use and pinned to the load core (the
 * server under test keeps its core to itself; dnsperf shares its core with the database).
 * Removed by the bench's cleanup.
 */
export async function benchPostgres(ctx) {
  ctx.postgres ??= startPostgres({ taskset: ctx.tools.taskset, core: ctx.cores.load });
  return ctx.postgres;
}

/** Our server on a new database of the bench's PostgreSQL; `helper` lets the CPU accounting see the database. */
async function startOursOnPostgres(ctx, id, label, connection, pg) {
  const server = await startOursIn(ctx, id, label, connection, 'postgres');
  return { ...server, helper: pg };
}

async function startOursIn(ctx, id, label, file, engine = 'sqlite', extra = '', more = {}) {
  return startOurs({
    root: ctx.root,
    label,
    dir: path.join(ctx.tmp, id),
    core: ctx.cores.server,
    ...more,
    zone: ctx.zone,
    dnsPort: await freePort(),
    apiPort: await freePort(),
    database: { engine, connection: file },
    extra,
  });
}

/**
 * Our server on SQLite with account 0 and `[rrl]` on (issue 8): dnsperf sends from 127.0.0.1, so
 * `exempt` decides whether each reply is only checked against the exempt list or fully accounted
 * (classified, its prefix and name looked up in the table); the rate is far above dnsperf's so
 * nothing is limited and the figure is the step's cost alone, beside ours-1.
 */
async function startOursWithRrl(ctx, id, label, exempt) {
  const file = path.join(ctx.tmp, id, 'store.db');
  await seedSqlite(ctx.root, file, sharedData(ctx).accounts.slice(0, 1), sharedPasswordHash(ctx.root));
  const rrl = `[rrl]\nenabled = true\nresponses_per_second = 1000000\nexempt = ${exempt ? '["127.0.0.1/32"]' : '[]'}\n`;
  return startOursIn(ctx, id, label, file, 'sqlite', rrl);
}

/**
 * Our server on SQLite with account 0 and `[dnssec]` on (issue 11): the same server answers the
 * unsigned measures (no DO: today's answers) and the signed ones (DO), side by side in one run.
 * The key is made at first start; an answer with DO must carry an RRSIG or the run stops.
 */
async function startOursSigned(ctx, id, label) {
  const file = path.join(ctx.tmp, id, 'store.db');
  await seedSqlite(ctx.root, file, sharedData(ctx).accounts.slice(0, 1), sharedPasswordHash(ctx.root));
  const server = await startOursIn(ctx, id, label, file, 'sqlite', '[dnssec]\nenabled = true\n');
  const soa = await dnsQuery(server.port, ctx.zone.domain, QTYPE.SOA, 2000, server.host, true);
  if (soa.rcode !== 0 || soa.ancount < 2) {
    await server.stop();
    throw new Error(`${label}: the apex SOA with DO came back without its RRSIG (rcode ${soa.rcode}, ${soa.ancount} answers)`);
  }
  return server;
}

/** knot signing the one-account zone (`online` or `presigned`, see knot.mjs). */
async function startKnotSigned(ctx, id, label, signing) {
  return startKnot({
    knotd: ctx.tools.knotd,
    dir: path.join(ctx.tmp, id),
    port: await freePort(),
    core: ctx.cores.server,
    zone: ctx.zone,
    accounts: sharedData(ctx).accounts.slice(0, 1),
    signing,
    label,
  });
}

/**
 * Where a server with `workers` DNS processes runs and where dnsperf runs: one worker on the
 * server core and dnsperf on the load core, as every scenario; N workers on cores 0..N-1 and
 * dnsperf on the cores left, or, when none is left (2 cores, 2 workers), unpinned: wherever the
 * scheduler can run it, sharing a core with a worker (the report's note says so).
 * `spread` lists every core either uses, for the CPU accounting.
 */
export function workerCores(ctx, workers) {
  if (workers === 1 || ctx.cores.shared) return { server: String(ctx.cores.server), load: String(ctx.cores.load) };
  const n = ctx.cores.count;
  const all = Array.from({ length: n }, (_, i) => i);
  const server = all.slice(0, Math.min(workers, n));
  const load = n > workers ? all.slice(workers) : all;
  return { server: server.join(','), load: load.join(','), spread: all.filter((c) => server.includes(c) || load.includes(c)) };
}

/**
 * Our server with `workers` DNS processes (issue 12) on a store that `fill(file)` writes before
 * start, placed by workerCores. The spawn-to-first-answer time is taken for `probe` (an account).
 */
export async function startWorkers(ctx, id, label, workers, fill, probe) {
  const file = path.join(ctx.tmp, id, 'store.db');
  await fill(file);
  const cores = workerCores(ctx, workers);
  const server = await startOursIn(ctx, id, label, file, 'sqlite', '', {
    workers,
    core: cores.server,
    probe: { name: `${probe.subdomain}.${ctx.zone.domain}`, value: probe.value },
  });
  return { ...server, loadCore: cores.load, spread: cores.spread };
}

/** One account (account 0 of the shared data), imported before start. */
export function oneAccount(ctx) {
  const first = sharedData(ctx).accounts[0];
  return { fill: (file) => seedSqlite(ctx.root, file, [first], sharedPasswordHash(ctx.root)), probe: first };
}

/** A copy of the bench's 1,000,000-account store (built on first use), probed on a random account. */
export async function millionAccounts(ctx) {
  const building = !ctx.million;
  const million = await millionStore(ctx, ctx.millionCount, sharedData(ctx).accounts[0]);
  if (building) console.error(`bench:   ${ctx.millionCount.toLocaleString('en-US')} accounts imported in ${million.importSeconds.toFixed(1)} s (once for this run)`);
  return { fill: async (file) => copyStore(million, file), probe: million.probe, million };
}

/** The bare Node UDP echo (bench/echo.mjs) pinned to the server core: the runtime's limit. */
export async function startEcho(ctx, label) {
  const port = await freePort();
  const proc = startPinned(label, ctx.cores.server, process.execPath, [path.join(ctx.root, 'bench', 'echo.mjs'), String(port)]);
  await waitReady(proc, async () => (await dnsQuery(port, ctx.zone.domain, QTYPE.SOA, 500)).rcode === 0);
  return { label, port, pid: proc.child.pid, stop: proc.stop };
}

/**
 * acme-dns (the binary given with --acme-dns) pinned to the server core on a new SQLite file
 * holding account 0: the Go server ours replaces, in the same run (issue 12's tail).
 */
export async function startAcmeDnsReference(ctx, id, label) {
  return startAcmeDns({
    root: ctx.root,
    bin: ctx.acmeDns,
    label,
    dir: path.join(ctx.tmp, id),
    core: ctx.cores.server,
    zone: ctx.zone,
    dnsPort: await freePort(),
    apiPort: await freePort(),
    accounts: sharedData(ctx).accounts.slice(0, 1),
    passwordHash: sharedPasswordHash(ctx.root),
  });
}

/**
 * What `--only issue12` runs (with knot, for the same zone served by a C server, acme-dns when
 * --acme-dns names a binary, and the interleaved tail and throughput ratios).
 */
export const ISSUE12_SCENARIOS = ['echo', 'w1', 'w2', 'w1-1m', 'w2-1m', 'knot', 'acme-dns', 'tail', 'ratios'];

/** The measures of a workers scenario: one-account store, and the 1M store. */
const W_ONE = ['soa', 'txtOne', 'nxFlood', 'latTxtOne'];
const W_MILLION = ['txtMillion', 'nxFlood', 'latTxtMillion'];

/** The signed measures and the unsigned ones they are compared with, on the same server. */
const SIGNED_MEASURES = ['txtOne', 'txtOneDo', 'nx', 'nxDo', 'latTxtOneDo'];

/** What `--only dnssec` runs. */
export const DNSSEC_SCENARIOS = ['ours-dnssec', 'knot-online', 'knot-presigned'];

/**
 * All dnsperf scenarios in run order; `ctx` = { root, tmp, zone, cores, tools, accountCount,
 * millionCount }. `inBar: false` keeps a scenario out of the issue-2 bar; `workers` is its DNS
 * process count (issue 12).
 * A server may carry `helper` ({ cpuSeconds() }, pinned to the load core): the database.
 */
export function allScenarios(ctx) {
  const big = ctx.accountCount.toLocaleString('en-US');
  return [
    {
      id: 'ours-1',
      label: 'ours, SQLite, 1 account',
      measures: ['txtOne', 'soa', 'nx', 'latTxtOne'],
      // An empty store and one account made through /register and /update, as a client would.
      async start() {
        const server = await startOursIn(ctx, 'ours-1', this.label, path.join(ctx.tmp, 'ours-1', 'store.db'));
        ctx.first = await registerAndUpdate(server.api, txtValue());
        return server;
      },
    },
    {
      id: 'ours-big',
      label: `ours, SQLite, ${big} accounts`,
      pairWith: 'ours-1',
      measures: ['txtMany', 'soa', 'nx', 'latTxtMany'],
      // Seeded before start through the store's bulk import (one shared bcrypt hash).
      async start() {
        const file = path.join(ctx.tmp, 'ours-big', 'store.db');
        await seedSqlite(ctx.root, file, sharedData(ctx).accounts, sharedPasswordHash(ctx.root));
        return startOursIn(ctx, 'ours-big', this.label, file);
      },
    },
    {
      id: 'pg-1',
      label: 'ours, PostgreSQL, 1 account',
      measures: ['txtOne', 'soa', 'nx', 'latTxtOne'],
      // Account 0 (the same name and value as every other scenario, so the query files fit),
      // imported into a new database before start.
      async start() {
        const pg = await benchPostgres(ctx);
        const db = await pg.createDatabase();
        await seedPostgres(ctx.root, db, sharedData(ctx).accounts.slice(0, 1), sharedPasswordHash(ctx.root));
        return startOursOnPostgres(ctx, 'pg-1', this.label, db, pg);
      },
    },
    {
      id: 'pg-big',
      label: `ours, PostgreSQL, ${big} accounts`,
      pairWith: 'pg-1',
      measures: ['txtMany', 'soa', 'nx', 'latTxtMany'],
      async start() {
        const pg = await benchPostgres(ctx);
        const db = await pg.createDatabase();
        await seedPostgres(ctx.root, db, sharedData(ctx).accounts, sharedPasswordHash(ctx.root));
        return startOursOnPostgres(ctx, 'pg-big', this.label, db, pg);
      },
    },
    {
      id: 'rrl-exempt',
      label: 'ours, SQLite, 1 account, RRL on, source exempt',
      measures: ['txtOne', 'latTxtOne'],
      start() {
        return startOursWithRrl(ctx, 'rrl-exempt', this.label, true);
      },
    },
    {
      id: 'rrl-counted',
      label: 'ours, SQLite, 1 account, RRL on, every reply counted',
      measures: ['txtOne', 'latTxtOne'],
      start() {
        return startOursWithRrl(ctx, 'rrl-counted', this.label, false);
      },
    },
    {
      id: 'knot',
      label: `knot, ${big} names`,
      measures: ['txtOne', 'txtMany', 'soa', 'nx', 'nxFlood', 'latTxtOne'],
      async start() {
        return startKnot({
          knotd: ctx.tools.knotd,
          dir: path.join(ctx.tmp, 'knot'),
          port: await freePort(),
          core: ctx.cores.server,
          zone: ctx.zone,
          accounts: sharedData(ctx).accounts,
        });
      },
    },
    {
      id: 'ours-dnssec',
      label: 'ours, SQLite, 1 account, DNSSEC on',
      measures: SIGNED_MEASURES,
      start() {
        return startOursSigned(ctx, 'ours-dnssec', this.label);
      },
    },
    {
      id: 'knot-online',
      label: 'knot, 1 name, online-signed (mod-onlinesign)',
      measures: SIGNED_MEASURES,
      start() {
        return startKnotSigned(ctx, 'knot-online', this.label, 'online');
      },
    },
    {
      id: 'knot-presigned',
      label: 'knot, 1 name, pre-signed (NSEC chain)',
      measures: SIGNED_MEASURES,
      // Signed at load with an NSEC chain: a missing name is a real NXDOMAIN (RFC 4035 §3.1.3.2).
      expect: { nxDo: 'NXDOMAIN' },
      start() {
        return startKnotSigned(ctx, 'knot-presigned', this.label, 'presigned');
      },
    },
    // acme-dns (Go) on one account: only with --acme-dns (nothing here builds it).
    ...(ctx.acmeDns ? [{
      id: 'acme-dns',
      label: 'acme-dns (Go), SQLite, 1 account',
      measures: ['soa', 'txtOne', 'nxFlood', 'latTxtOne'],
      inBar: false,
      start() {
        return startAcmeDnsReference(ctx, 'acme-dns', this.label);
      },
    }] : []),
    // Issue 12: the runtime's limit, then our server with one and two DNS processes, on one
    // account and on 1,000,000. Not in the issue-2 bar (`inBar`): the echo is not a DNS server,
    // and two workers share dnsperf's core.
    {
      id: 'echo',
      label: 'bare Node UDP echo',
      // Its latency at 2,000 q/s is the floor of the tail on this core: the runtime and the
      // machine with no query path at all.
      measures: ['soa', 'latTxtOne'],
      inBar: false,
      start() {
        return startEcho(ctx, this.label);
      },
    },
    ...[1, 2].map((workers) => ({
      id: `w${workers}`,
      label: `ours, workers = ${workers}, 1 account`,
      // The issue-2 NXDOMAIN (10,000 names that repeat) once, beside the flood, for continuity.
      measures: workers === 1 ? [...W_ONE, 'nx'] : W_ONE,
      workers,
      inBar: workers === 1,
      async start() {
        const { fill, probe } = oneAccount(ctx);
        return startWorkers(ctx, this.id, this.label, workers, fill, probe);
      },
    })),
    ...[1, 2].map((workers) => ({
      id: `w${workers}-1m`,
      label: `ours, workers = ${workers}, ${ctx.millionCount.toLocaleString('en-US')} accounts`,
      measures: W_MILLION,
      // Warm up on account 0: a warm-up over txtMillion would put the names the measure asks
      // first into the server's caches.
      warmup: 'txtOne',
      workers,
      inBar: workers === 1,
      async start() {
        const { fill, probe, million } = await millionAccounts(ctx);
        const server = await startWorkers(ctx, this.id, this.label, workers, fill, probe);
        return { ...server, files: million.queries };
      },
    })),
  ];
}

/** The query file paths, generating the shared data on first use. */
export function queryFiles(ctx) {
  return sharedData(ctx).queries;
}
