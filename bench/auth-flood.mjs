// Issue 8: how much bcrypt work one hostile address can make the server do, and what it costs
// everyone else. One address (127.0.0.2) keeps 250 wrong-key POST /update requests in flight for
// a fixed time while another address (127.0.0.3) sends valid updates one after another; the
// server runs with the default [ratelimit] (as an unchanged acme-dns config gets). Two floods:
// one user's key guessed over and over (the per-(address, user) limit), and a new random user on
// every request (the per-address ceiling, the worst case for bcrypt work). The flood runs in a
// worker thread of its own, so the valid update's latency is not its wait behind the flood's
// thousands of answers in the bench's own event loop. Loopback only; every loop stops at its deadline.
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { txtValue } from './accounts.mjs';
import { withCpu } from './cpu.mjs';
import { percentile } from './dnsperf.mjs';
import { freePort } from './net.mjs';
import { formatTable } from './report.mjs';
import { registerAndUpdate, startOurs } from './server.mjs';

/** Requests the hostile address keeps in flight. */
const IN_FLIGHT = 250;
/** The bar: a valid update from another address during the flood answers within this. */
const TARGET_MS = 500;
/** Pause between the victim's updates, so its own write budget (200 at once) lasts the run. */
const VICTIM_PAUSE_MS = 100;
/** A hard cap on the flood's requests, whatever the speed. */
const MAX_FLOOD_REQUESTS = 2_000_000;

/** One POST /update from `from`; resolves { status, ms }; status 0 when the connection failed. */
function update(api, agent, from, user, key, subdomain) {
  const url = new URL(api);
  const body = JSON.stringify({ subdomain, txt: txtValue() });
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: url.hostname, port: url.port, method: 'POST', path: '/update', agent, localAddress: from,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'X-Api-User': user, 'X-Api-Key': key },
        timeout: 30000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
    req.end(body);
  });
}

/** Keeps IN_FLIGHT requests from 127.0.0.2 going for `seconds`; resolves the status counts. */
async function flood(api, seconds, target, randomUser) {
  const deadline = performance.now() + seconds * 1000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const counts = {};
  let sent = 0;
  const worker = async () => {
    while (performance.now() < deadline && sent < MAX_FLOOD_REQUESTS) {
      sent++;
      const user = randomUser ? crypto.randomUUID() : target.username;
      const r = await update(api, agent, '127.0.0.2', user, 'w'.repeat(40), target.subdomain);
      counts[r.status] = (counts[r.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  agent.destroy();
  return counts;
}

/** The flood in a worker thread (this same file); resolves its status counts. */
function floodInWorker(api, seconds, target, randomUser) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { api, seconds, target, randomUser } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the flood worker exited with ${code} before reporting`)));
  });
}

if (!isMainThread && workerData?.api) {
  const { api, seconds, target, randomUser } = workerData;
  flood(api, seconds, target, randomUser).then((counts) => parentPort.postMessage(counts));
}

/** Valid updates from 127.0.0.3, one at a time, until `deadline`; resolves their latencies (ms). */
async function victim(api, account, deadline) {
  const agent = new http.Agent({ keepAlive: false });
  const ms = [];
  while (performance.now() < deadline) {
    const r = await update(api, agent, '127.0.0.3', account.username, account.password, account.subdomain);
    if (r.status !== 200) throw new Error(`a valid update from another address got ${r.status}`);
    ms.push(r.ms);

    await new Promise((resolve) => setTimeout(resolve, VICTIM_PAUSE_MS));
  }
  return ms;
}

const stats = (ms) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), max: sorted[sorted.length - 1] };
};

/**
 * One flood of `seconds` with the victim alongside (a fresh victim account each time), with the
 * CPU the server and other processes took meanwhile (cpu.mjs).
 */
async function phase(ctx, server, target, seconds, randomUser) {
  const account = await registerAndUpdate(server.api, txtValue());
  const baseline = stats(await victim(server.api, account, performance.now() + 2000));
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  const r = await withCpu(server.pid, ctx.cores, async () => {
    const [counts, during] = await Promise.all([floodInWorker(server.api, seconds, { username: target.username, subdomain: target.subdomain }, randomUser), victim(server.api, account, deadline)]);
    return { counts, during };
  });
  const elapsed = (performance.now() - t0) / 1000;
  // Every 401 of a well-formed request is one bcrypt compare (an unknown user costs a dummy one).
  const others = Math.max(0, ...[r.otherServerCore, r.otherLoadCore].filter(Number.isFinite));
  return { randomUser, seconds: elapsed, counts: r.counts, compares: r.counts[401] ?? 0, baseline, during: stats(r.during), serverCpu: r.serverCpu, others };
}

/** Starts a server on 127.0.0.1 (server core, new SQLite file) and runs both floods. */
export async function measureAuthFlood(ctx, seconds) {
  const server = await startOurs({
    root: ctx.root,
    label: 'auth flood',
    dir: path.join(ctx.tmp, 'auth-flood'),
    core: ctx.cores.server,
    zone: ctx.zone,
    dnsPort: await freePort(),
    apiPort: await freePort(),
    database: { engine: 'sqlite', connection: path.join(ctx.tmp, 'auth-flood', 'acmedns.db') },
  });
  try {
    const target = await registerAndUpdate(server.api, txtValue());
    return [await phase(ctx, server, target, seconds, false), await phase(ctx, server, target, seconds, true)];
  } finally {
    await server.stop();
  }
}

/** The figures as a table, with PASS/MISS against TARGET_MS. */
export function formatAuthFlood(results) {
  const ms = (x) => (x === undefined ? '—' : x.toFixed(1));
  const rows = results.map((r) => [
    r.randomUser ? 'new user each request' : 'one user, wrong key',
    r.seconds.toFixed(1),
    String(r.compares),
    (r.compares / r.seconds).toFixed(1),
    Object.entries(r.counts).map(([s, n]) => `${n}x${s}`).join(' '),
    ms(r.baseline.p50),
    `${ms(r.during.p50)} / ${ms(r.during.max)} (${r.during.n})`,
    `${Math.round(r.serverCpu * 100)}%`,
    `${Math.round(r.others * 100)}%`,
    r.during.max < TARGET_MS ? 'PASS' : 'MISS',
  ]);
  return [
    `Auth flood: ${IN_FLIGHT} wrong-key POST /update in flight from 127.0.0.2, default [ratelimit]; valid updates from 127.0.0.3 (bar: max < ${TARGET_MS} ms)`,
    formatTable(['flood', 's', 'bcrypt', 'bcrypt/s', 'flood answers', 'valid p50 idle ms', 'valid p50 / max ms during (n)', 'cpu server', 'others', 'bar'], rows, 'lrrrlrrrrl'),
    '  bcrypt = compares the flood caused (its 401s); s = until its last answer; others = the larger share of a bench core other processes took.',
  ].join('\n');
}
