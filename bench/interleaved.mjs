// The servers the interleaved measurements share (issue 12: tail.mjs, ratios.mjs), started once
// and all at once, so that every round can ask each in turn and a phase of the host falls on all
// of them alike: the bare Node echo, ours with one account, ours on the 1,000,000-account store,
// and acme-dns when --acme-dns names a binary and it is wanted. Two placements:
// - one core (the default): every server pinned to the server core and dnsperf to the load core,
//   so the figures compare the query paths core for core;
// - every core (`everyCore`): every server, and dnsperf, may run on every core, as deployed: ours
//   with one DNS worker per core (what workers = "auto" gives), acme-dns with Go's GOMAXPROCS at the
//   core count, the echo one process as always. Where the host takes one core away for
//   milliseconds, a server pinned there stalls whatever it is; ours on every core does not, since
//   the other workers read the same socket.
import fs from 'node:fs';
import { maxThroughput } from './dnsperf.mjs';
import { millionAccounts, oneAccount, queryFiles, startAcmeDnsReference, startEcho, startWorkers } from './scenarios.mjs';

/** Full speed for this long on each server before the first round: their code is then warm. */
const WARMUP_SECONDS = 2;

/**
 * `count` query lines of `lines` from line `from` on (wrapping round at the end), written to `to`:
 * a round's own slice of the 1M store's shuffled names.
 */
export function sliceOf(lines, from, count, to) {
  const out = [];
  for (let i = 0; i < count; i++) out.push(lines[(from + i) % lines.length]);
  fs.writeFileSync(to, `${out.join('\n')}\n`);
  return to;
}

/** The median of numbers (NaN when none). */
export function median(values) {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

/**
 * Starts the servers one after another (stopping the ones started if one fails) and warms each
 * up; resolves { servers: [{ id, label, port, stop }], million (the 1M store: its query files),
 * tool (dnsperf), placement (a phrase for titles), stop() }. `acmeDns`: start acme-dns too (when
 * the run has a binary). `everyCore`: the every-core placement (above), else the one-core one.
 */
export async function startInterleaved(ctx, { acmeDns, everyCore = false }) {
  const million = await millionAccounts(ctx);
  const one = oneAccount(ctx);
  const every = Array.from({ length: ctx.cores.count }, (_, i) => i).join(',');
  // workerCores (scenarios.mjs) spreads `workers` > 1 over cores 0..n-1; the echo and acme-dns
  // take `cores.server`, so it names every core.
  const at = everyCore ? { ...ctx, cores: { ...ctx.cores, server: every } } : ctx;
  const workers = everyCore ? ctx.cores.count : 1;
  const ours = everyCore ? `workers = ${workers} (every core)` : 'workers = 1';
  const dir = everyCore ? 'every-core-' : 'interleaved-';
  const starters = [
    ['echo', () => startEcho(at, everyCore ? 'bare Node UDP echo (one process)' : 'bare Node UDP echo')],
    ['ours', () => startWorkers(at, `${dir}ours`, `ours, ${ours}, 1 account`, workers, one.fill, one.probe)],
    ['ours-1m', () => startWorkers(at, `${dir}ours-1m`, `ours, ${ours}, random of ${ctx.millionCount.toLocaleString('en-US')}`, workers, million.fill, million.probe)],
    ...(acmeDns && ctx.acmeDns ? [['acme-dns', () => startAcmeDnsReference(at, `${dir}acme-dns`, `acme-dns (Go)${everyCore ? `, GOMAXPROCS ${workers}` : ''}, 1 account`)]] : []),
  ];
  const tool = { taskset: ctx.tools.taskset, dnsperf: ctx.tools.dnsperf, core: everyCore ? every : ctx.cores.load, tmp: ctx.tmp };
  const placement = everyCore ? `every server and dnsperf on every core (${every})` : 'all started at once on the server core';
  const servers = [];
  const stop = async () => {
    for (const s of servers) await s.stop();
  };
  try {
    for (const [id, start] of starters) {
      console.error(`bench:   interleaved: starting ${id}`);
      servers.push({ id, ...(await start()) });
    }
    for (const s of servers) await maxThroughput(tool, s.port, queryFiles(ctx).txtOne, WARMUP_SECONDS);
  } catch (err) {
    await stop();
    throw err;
  }
  return { servers, million: million.million, tool, placement, stop };
}
