// The throughput ratios of issue 12 ("TXT at least 85% of SOA", "SOA at least 90% of a bare
// Node echo", flat to 1,000,000 accounts...), measured so that each ratio's two sides share the
// machine's moods: on interleaved.mjs's servers (all on the server core), each round runs every
// full-speed measure once, back to back, in an order that rotates. A ratio is taken within each
// round and the median over the rounds is reported. One run per scenario, minutes apart, put a
// slow phase of the host on one side of a ratio and a fast one on the other (35% apart on this VM).
// Every round's query files are written before the first round and flushed to disk: a flood file
// written between two measures (45 MB, and the orchestrator's garbage from making it, on the load
// core) slowed the measures that followed it. The 1M TXT measure, always run right after the
// flood's, did 155.7k q/s there against 161.9k with the files written beforehand (same build,
// same servers, 8 rounds each).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { maxThroughput } from './dnsperf.mjs';
import { wrongAnswers } from './measures.mjs';
import { NX_FLOOD_NAMES, writeNxFlood } from './queries.mjs';
import { median, sliceOf } from './interleaved.mjs';
import { queryFiles } from './scenarios.mjs';


/** The ratios, each `a / b` of two measures below, with the bar's threshold. */
export const RATIOS = [
  { id: 'txtSoa', a: 'ours.txt', b: 'ours.soa', min: 0.85 },
  { id: 'nxSoa', a: 'ours.nx', b: 'ours.soa', min: 0.9 },
  { id: 'soaEcho', a: 'ours.soa', b: 'echo.soa', min: 0.9 },
  { id: 'millionTxt', a: 'ours-1m.txt', b: 'ours.txt', min: 0.9 },
  { id: 'millionNx', a: 'ours-1m.nx', b: 'ours.nx', min: 0.9 },
];

/**
 * Runs `rounds` rounds of every measure for `seconds` each on `started` (interleaved.mjs's
 * servers); resolves { rounds, seconds, qps: { measure: [per round] }, ratios: { id: [per round] } }.
 */
export async function measureRatios(ctx, started, rounds, seconds) {
  const files = queryFiles(ctx);
  const servers = started.servers.filter((s) => s.id !== 'acme-dns');
  const port = Object.fromEntries(servers.map((s) => [s.id, s.port]));
  const { tool } = started;
  const { floods, slices } = writeRoundFiles(ctx, started, rounds, seconds);
  const measures = [
    ['echo.soa', 'echo', () => files.soa, 'NOERROR'],
    ['ours.soa', 'ours', () => files.soa, 'NOERROR'],
    ['ours.txt', 'ours', () => files.txtOne, 'NOERROR'],
    ['ours.nx', 'ours', (r) => floods[r], 'NXDOMAIN'],
    ['ours-1m.txt', 'ours-1m', (r) => slices[r], 'NOERROR'],
    // The same flood names as ours.nx's in the round: each server still sees a name once.
    ['ours-1m.nx', 'ours-1m', (r) => floods[r], 'NXDOMAIN'],
  ];
  const qps = Object.fromEntries(measures.map(([m]) => [m, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < measures.length; i++) {
      const [m, server, file, expect] = measures[(i + r) % measures.length];
      const stats = await maxThroughput(tool, port[server], file(r), seconds);
      const bad = wrongAnswers(stats, expect);
      if (bad) throw new Error(`ratios: ${m} answered ${bad}`);
      qps[m][r] = stats.qps;
    }
    console.error(`bench:   ratios round ${r + 1}/${rounds}: ${measures.map(([m]) => `${m} ${Math.round(qps[m][r])}`).join(', ')}`);
  }
  const ratios = Object.fromEntries(RATIOS.map((x) => [x.id, qps[x.a].map((v, r) => v / qps[x.b][r])]));
  return { rounds, seconds, qps, ratios };
}

/**
 * Each round's new NXDOMAIN flood file and slice of the 1M store's shuffled names, written now and
 * flushed (sync), so no round writes a file or leaves dirty pages behind (top of this file).
 */
function writeRoundFiles(ctx, started, rounds, seconds) {
  const names = fs.readFileSync(started.million.queries.txtMillion, 'utf8').split('\n').filter(Boolean);
  // Enough names that a round at full speed never asks one twice (knot-like rates would need more).
  const perRound = Math.min(names.length, seconds * 150_000);
  const floodNames = Math.min(NX_FLOOD_NAMES, seconds * 250_000);
  const floods = [];
  const slices = [];
  for (let r = 0; r < rounds; r++) {
    floods.push(path.join(ctx.tmp, `ratios-nx-${r}.txt`));
    writeNxFlood(floods[r], ctx.zone.domain, floodNames);
    slices.push(sliceOf(names, r * perRound, perRound, path.join(ctx.tmp, `ratios-1m-${r}.txt`)));
  }
  spawnSync('sync');
  return { floods, slices };
}

const pct = (r) => (Number.isFinite(r) ? `${(r * 100).toFixed(1)}%` : '—');

/** The section: each measure's median q/s, each ratio's median and range over the rounds. */
export function formatRatios(result) {
  const out = [`Throughput ratios, interleaved: ${result.rounds} rounds of every measure for ${result.seconds} s, all servers started at once on the server core`];
  for (const [m, v] of Object.entries(result.qps)) out.push(`  ${m.padEnd(12)} median ${Math.round(median(v)).toLocaleString('en-US')} q/s (${v.map((x) => Math.round(x / 1000)).join(' ')} k)`);
  for (const x of RATIOS) {
    const v = result.ratios[x.id];
    out.push(`  ${`${x.a} / ${x.b}`.padEnd(26)} median ${pct(median(v))}, rounds ${pct(Math.min(...v))}..${pct(Math.max(...v))}`);
  }
  return out.join('\n');
}
