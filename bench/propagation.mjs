// Issue 4: how long after instance A answers 200 to POST /update does instance B (another
// daemon on another loopback address, same PostgreSQL database) serve the new value over DNS?
// The PostgreSQL store caches DNS reads, but validates them per query with a read that starts after the query arrived, so B's first query should already see it.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { txtValue } from './accounts.mjs';
import { percentile } from './dnsperf.mjs';
import { freePort } from './net.mjs';
import { formatTable } from './report.mjs';
import { benchPostgres } from './scenarios.mjs';
import { registerAndUpdate, startOurs, UNLIMITED_WRITES } from './server.mjs';
import { QUERY_TIMEOUT_MS, txtAsker } from './txt-asker.mjs';

/** Give up on a round when B has not served the value after this long: something is broken. */
const ROUND_LIMIT_MS = 5000;

/** POST /update on `api` with `value`; resolves { status, ms, body } with ms up to the response headers. */
async function update(api, account, value) {
  const t0 = performance.now();
  const res = await fetch(`${api}/update`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Api-User': account.username, 'X-Api-Key': account.password },
    body: JSON.stringify({ subdomain: account.subdomain, txt: value }),
    signal: AbortSignal.timeout(10000),
  });
  return { status: res.status, at: performance.now(), ms: performance.now() - t0, body: res.text() };
}

/**
 * Polls B until its answer holds `value`; resolves { ms, queries, stale, timeouts } from `since`:
 * stale counts answers without the value (what a cache would cause), timeouts the queries B did
 * not answer within QUERY_TIMEOUT_MS (a busy machine, not staleness).
 */
async function pollUntilServed(asker, value, since) {
  const needle = Buffer.from(value, 'ascii');
  let stale = 0;
  let timeouts = 0;
  for (let queries = 1; ; queries++) {
    const msg = await asker.ask();
    if (msg && (msg[3] & 0x0f) === 0 && msg.includes(needle)) return { ms: performance.now() - since, queries, stale, timeouts };
    if (msg) stale++;
    else timeouts++;
    if (performance.now() - since > ROUND_LIMIT_MS) {
      throw new Error(`instance B did not serve the new value within ${ROUND_LIMIT_MS} ms (${queries} queries)`);
    }
  }
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

/**
 * Starts two daemons (127.0.0.1 and 127.0.0.2, both pinned to the server core) on one new
 * database of the bench's PostgreSQL (pinned to the load core, as this process is), registers
 * an account through A, then runs `rounds` updates through A, each followed at once by a tight
 * loop of TXT queries to B. Resolves the figures for formatPropagation().
 */
export async function measurePropagation(ctx, rounds) {
  const pg = await benchPostgres(ctx);
  const db = await pg.createDatabase();
  const start = async (id, host) => startOurs({
    root: ctx.root,
    label: `propagation instance ${id}`,
    dir: path.join(ctx.tmp, `propagation-${id}`),
    core: ctx.cores.server,
    zone: ctx.zone,
    dnsPort: await freePort(),
    apiPort: await freePort(),
    database: { engine: 'postgres', connection: db },
    host,
    extra: UNLIMITED_WRITES,
  });
  // One after the other: the first start migrates the new database.
  const a = await start('A', '127.0.0.1');
  const b = await start('B', '127.0.0.2');
  try {
    const account = await registerAndUpdate(a.api, txtValue());
    const name = `${account.subdomain}.${ctx.zone.domain}`;
    const bAsker = await txtAsker(b.host, b.port, name);
    const delays = [];
    const updates = [];
    const queryCounts = [];
    let stale = 0;
    let timeouts = 0;
    try {
      for (let i = 0; i < rounds; i++) {
        const value = txtValue();
        const res = await update(a.api, account, value);
        if (res.status !== 200) throw new Error(`POST /update on A: ${res.status} ${await res.body}`);
        const served = await pollUntilServed(bAsker, value, res.at);
        await res.body;
        delays.push(served.ms);
        updates.push(res.ms);
        queryCounts.push(served.queries);
        stale += served.stale;
        timeouts += served.timeouts;
      }
    } finally {
      await bAsker.close();
    }
    return {
      rounds,
      delay: summary(delays),
      update: summary(updates),
      firstQuery: queryCounts.filter((n) => n === 1).length,
      maxQueries: Math.max(...queryCounts),
      stale,
      timeouts,
      cores: ctx.cores,
    };
  } finally {
    await b.stop();
    await a.stop();
  }
}

const ms = (v) => (Number.isFinite(v) ? v.toFixed(3) : '—');

/** The propagation section of the report, in report.mjs's table format. */
export function formatPropagation(p) {
  return [
    `Propagation: ${p.rounds.toLocaleString('en-US')} rounds of POST /update on instance A (127.0.0.1), then UDP TXT`,
    'queries to instance B (127.0.0.2) in a tight loop until the new value is in the answer (ms);',
    `both daemons on core ${p.cores.server}, PostgreSQL and this client on core ${p.cores.load}; one database, each instance's cache validated per query`,
    formatTable(['measure', 'p50', 'p99', 'max', 'rounds', 'first query had it', 'most queries', 'stale answers', `unanswered ${QUERY_TIMEOUT_MS / 1000} s`], [
      ['200 on A -> value served by B', ms(p.delay.p50), ms(p.delay.p99), ms(p.delay.max), String(p.rounds),
        `${p.firstQuery} of ${p.rounds}`, String(p.maxQueries), String(p.stale), String(p.timeouts)],
      ['POST /update on A (to the 200)', ms(p.update.p50), ms(p.update.p99), ms(p.update.max), String(p.rounds), '', '', '', ''],
    ], 'l'),
    '"stale answers": B answered without the new value (a cache would do that); "unanswered": B sent',
    'no answer within the timeout and the query was repeated (a busy machine, not staleness).',
  ].join('\n');
}
