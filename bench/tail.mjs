// The tail at a steady 2,000 TXT q/s (issue 12), measured so that the servers compared share the
// machine's moods: every server is started at once, in one of interleaved.mjs's placements (all
// on the server core, or all on every core), and the rounds interleave them (each round asks
// each server for `seconds`, in an order that rotates), so a slow phase of the host (another
// guest, a kernel thread on the core) falls on all of them alike. Each server's answers are
// pooled over the rounds: its p99.9 rests on the slowest answers of every round together (180
// at the defaults), not on the 10 or 20 of one run. The servers are interleaved.mjs's; the 1M
// one is asked a different slice of its shuffled names each round, so no name is asked twice.
import fs from 'node:fs';
import path from 'node:path';
import { latencySamples, summarizeLatencies } from './dnsperf.mjs';
import { formatTable } from './report.mjs';
import { wrongAnswers } from './measures.mjs';
import { median, sliceOf } from './interleaved.mjs';
import { queryFiles } from './scenarios.mjs';
import { formatStalls, probeHostStalls, summarizeStalls } from './host-stalls.mjs';

const RATE = 2000;
/** Seconds of the host stall probe before the rounds, and again after them. */
const PROBE_SECONDS = 5;

/**
 * Runs the interleaved rounds on `started` (interleaved.mjs's servers); resolves { rounds,
 * seconds, servers: { id: { label, pooled, perRound } } } with pooled and per-round
 * p50/p99/p99.9/max (ms).
 */
export async function measureTail(ctx, started, rounds, seconds) {
  const files = queryFiles(ctx);
  const { servers } = started;
  const linesPerRound = Math.ceil(seconds * RATE * 1.2);
  const slices = millionSlices(ctx, started, rounds, linesPerRound);
  const { tool } = started;
  const fileFor = (s, r) => (s.id === 'ours-1m' ? slices[r] : files.txtOne);
  const out = Object.fromEntries(servers.map((s) => [s.id, { label: s.label, lat: [], perRound: [] }]));
  const probes = [await probeHostStalls(tool, ctx.cores.server, PROBE_SECONDS)];
  for (let r = 0; r < rounds; r++) {
    const order = servers.map((_, i) => servers[(i + r) % servers.length]);
    for (const s of order) {
      const { stats, lat } = await latencySamples(tool, s.port, fileFor(s, r), seconds, RATE);
      const bad = wrongAnswers(stats, 'NOERROR');
      if (bad) throw new Error(`tail: ${s.label} answered ${bad}`);
      const round = summarizeLatencies(lat);
      out[s.id].perRound.push(round);
      for (const v of lat) out[s.id].lat.push(v);
      console.error(`bench:   tail round ${r + 1}/${rounds} ${s.label}: p50 ${round.p50.toFixed(3)} p99 ${round.p99.toFixed(3)} p99.9 ${round.p999.toFixed(3)} max ${round.max.toFixed(3)} ms`);
    }
  }
  probes.push(await probeHostStalls(tool, ctx.cores.server, PROBE_SECONDS));
  const result = { rounds, seconds, placement: started.placement, servers: {}, hostStalls: summarizeStalls(probes) };
  for (const [id, v] of Object.entries(out)) {
    result.servers[id] = { label: v.label, pooled: summarizeLatencies(v.lat.sort((a, b) => a - b)), perRound: v.perRound };
  }
  return result;
}

/**
 * Each round's slice of the 1M store's names, written before the first round (as ratios.mjs's
 * files): no round writes a file, and the million names are not held through the rounds.
 */
function millionSlices(ctx, started, rounds, linesPerRound) {
  const names = fs.readFileSync(started.million.queries.txtMillionLate, 'utf8').split('\n').filter(Boolean);
  return Array.from({ length: rounds }, (_, r) => sliceOf(names, r * linesPerRound, linesPerRound, path.join(ctx.tmp, `tail-1m-${r}.txt`)));
}

const ms = (v) => (v === Infinity ? 'timeout' : Number.isFinite(v) ? v.toFixed(3) : '—');

/** The section: pooled percentiles, the median of the rounds' own, and per-round wins against acme-dns. */
export function formatTail(tail) {
  const out = [`Tail at a steady ${RATE.toLocaleString('en-US')} TXT q/s, interleaved: ${tail.rounds} rounds x ${tail.seconds} s per server, ${tail.placement} (ms)`];
  const ref = tail.servers['acme-dns'];
  const rows = Object.values(tail.servers).map((s) => {
    const p = s.pooled;
    const med = (k) => ms(median(s.perRound.map((x) => x[k])));
    const wins = (k) => (ref && s !== ref ? `${s.perRound.filter((x, i) => x[k] <= ref.perRound[i][k]).length}/${tail.rounds}` : '');
    return [s.label, ms(p.p50), ms(p.p99), ms(p.p999), ms(p.max), med('p99'), med('p999'), wins('p99'), wins('p999'), p.samples.toLocaleString('en-US')];
  });
  out.push(formatTable(['server', 'p50', 'p99', 'p99.9', 'max', 'p99 median', 'p99.9 median', 'rounds p99 <= acme-dns', 'p99.9', 'answers'], rows, 'lrrrrrrrrr'));
  out.push('p50..max: every answer of the rounds pooled; "median": the median of the rounds\' own figures; "rounds <=":');
  out.push('rounds where the server\'s figure was at or below acme-dns\'s in the same round.');
  if (!ref) out.push('acme-dns was not measured: give --acme-dns PATH (a built acme-dns binary; bench/README.md).');
  if (tail.hostStalls) out.push(formatStalls(tail.hostStalls));
  return out.join('\n');
}
