// The servers the interleaved measurements share (issue 12: tail.mjs, ratios.mjs), started once
// and all at once on the server core, so that every round can ask each in turn and a phase of
// the host falls on all of them alike: the bare Node echo, ours with one account, ours on the
// 1,000,000-account store, and acme-dns when --acme-dns names a binary and it is wanted.
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
 * tool (dnsperf on the load core), stop() }. `acmeDns`: start acme-dns too (when the run has a binary).
 */
export async function startInterleaved(ctx, { acmeDns }) {
  const million = await millionAccounts(ctx);
  const one = oneAccount(ctx);
  const starters = [
    ['echo', () => startEcho(ctx, 'bare Node UDP echo')],
    ['ours', () => startWorkers(ctx, 'interleaved-ours', 'ours, workers = 1, 1 account', 1, one.fill, one.probe)],
    ['ours-1m', () => startWorkers(ctx, 'interleaved-ours-1m', `ours, workers = 1, random of ${ctx.millionCount.toLocaleString('en-US')}`, 1, million.fill, million.probe)],
    ...(acmeDns && ctx.acmeDns ? [['acme-dns', () => startAcmeDnsReference(ctx, 'interleaved-acme-dns', 'acme-dns (Go), 1 account')]] : []),
  ];
  const tool = { taskset: ctx.tools.taskset, dnsperf: ctx.tools.dnsperf, core: ctx.cores.load, tmp: ctx.tmp };
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
  return { servers, million: million.million, tool, stop };
}
