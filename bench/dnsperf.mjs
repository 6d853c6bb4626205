// dnsperf 2.10 runs (pinned to the load core) and the parsing of what it prints.
import fs from 'node:fs';
import path from 'node:path';
import { run } from './proc.mjs';

/** Outstanding queries and client sockets for a throughput run: enough to keep one core busy. */
const MAX_CLIENTS = 4;
const MAX_OUTSTANDING = 100;

function field(stdout, label) {
  const m = stdout.match(new RegExp(`^\\s*${label}:\\s+([0-9.]+)`, 'm'));
  return m ? Number(m[1]) : undefined;
}

/** The statistics block dnsperf prints at the end: sent, completed, lost, qps, rcode counts. */
export function parseStatistics(stdout) {
  const stats = {
    sent: field(stdout, 'Queries sent'),
    completed: field(stdout, 'Queries completed'),
    lost: field(stdout, 'Queries lost'),
    seconds: field(stdout, 'Run time \\(s\\)'),
    qps: field(stdout, 'Queries per second'),
    rcodes: {},
  };
  const codes = stdout.match(/^\s*Response codes:\s+(.*)$/m);
  for (const m of codes ? codes[1].matchAll(/([A-Z]+) (\d+)/g) : []) stats.rcodes[m[1]] = Number(m[2]);
  if (stats.qps === undefined || stats.completed === undefined) {
    throw new Error(`dnsperf printed no statistics:\n${stdout.slice(-2000)}`);
  }
  return stats;
}

/**
 * Per-query latencies (seconds) from `-v` output lines `> RCODE name type latency`; a timed-out
 * query ("T") counts as Infinity so it lands above every percentile it affects.
 */
export function parseLatencies(stdout) {
  const out = [];
  for (const m of stdout.matchAll(/^> (\S+) \S+ \S+(?: ([0-9.]+))?$/gm)) {
    if (m[1] === 'T') out.push(Infinity);
    else if (m[2] !== undefined) out.push(Number(m[2]));
  }
  return out;
}

/** The p-th percentile (0 < p <= 100) of ascending values, nearest-rank method. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Runs dnsperf pinned to the load core; its stdout goes through a file in tool.tmp (see run). */
async function dnsperf(tool, args) {
  const stdoutFile = path.join(tool.tmp, 'dnsperf.out');
  const { code, stdout, stderr } = await run(tool.taskset, ['-c', String(tool.core), tool.dnsperf, ...args], { stdoutFile });
  fs.rmSync(stdoutFile, { force: true });
  if (code !== 0) throw new Error(`dnsperf ${args.join(' ')} exited ${code}:\n${stderr}${stdout.slice(-1000)}`);
  return stdout;
}

/** Common arguments: loopback server and port, query file, duration, 2 s timeout; `dnssec` sets DO (-D). */
function baseArgs(port, file, seconds, dnssec = false) {
  return ['-s', '127.0.0.1', '-p', String(port), '-d', file, '-l', String(seconds), '-t', '2', ...(dnssec ? ['-D'] : [])];
}

/**
 * Maximum throughput: dnsperf keeps MAX_OUTSTANDING queries in flight for `seconds` (with DO
 * set when `dnssec`); resolves the statistics (qps = completed answers per second).
 */
export async function maxThroughput(tool, port, file, seconds, dnssec = false) {
  const args = [...baseArgs(port, file, seconds, dnssec), '-c', String(MAX_CLIENTS), '-q', String(MAX_OUTSTANDING), '-T', '1'];
  return parseStatistics(await dnsperf(tool, args));
}

/**
 * Every answer's latency (seconds, ascending) at a fixed rate (`-Q rate`): dnsperf 2.10 has no
 * histogram option, so `-v` prints each one. Resolves { stats, lat }.
 */
export async function latencySamples(tool, port, file, seconds, rate, dnssec = false) {
  const stdout = await dnsperf(tool, [...baseArgs(port, file, seconds, dnssec), '-Q', String(rate), '-v']);
  const stats = parseStatistics(stdout);
  const lat = parseLatencies(stdout).sort((a, b) => a - b);
  if (lat.length === 0) throw new Error('dnsperf -v printed no per-query latencies');
  return { stats, lat };
}

/** p50/p99/p99.9/max in milliseconds and the sample count of ascending latencies in seconds. */
export function summarizeLatencies(lat) {
  const ms = (s) => s * 1000;
  return {
    samples: lat.length,
    p50: ms(percentile(lat, 50)),
    p99: ms(percentile(lat, 99)),
    p999: ms(percentile(lat, 99.9)),
    max: ms(lat[lat.length - 1]),
  };
}

/**
 * Latency at a fixed rate: resolves statistics plus p50/p99/p99.9/max in milliseconds and the
 * sample count (see latencySamples).
 */
export async function latencyAtRate(tool, port, file, seconds, rate, dnssec = false) {
  const { stats, lat } = await latencySamples(tool, port, file, seconds, rate, dnssec);
  return { ...stats, ...summarizeLatencies(lat) };
}
