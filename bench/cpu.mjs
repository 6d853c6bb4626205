// CPU accounting from /proc (Linux, proc(5)) around each dnsperf run: the server's share of its
// core (was it saturated, or was dnsperf the limit?), dnsperf's share, and what OTHER processes
// took on the two cores (on a shared machine that disturbs the figures, and the report says so).
import fs from 'node:fs';
import { run } from './proc.mjs';
import { processTree, statFields } from './tree.mjs';

let ticksPerSecond = 100;

/** Reads CLK_TCK once (the unit of /proc times); 100 on every common Linux. */
export async function initCpuClock() {
  const { stdout } = await run('getconf', ['CLK_TCK']).catch(() => ({ stdout: '' }));
  ticksPerSecond = Number(stdout.trim()) || 100;
}

/** User + system CPU seconds the process (all its threads) has used, or NaN when unreadable. */
export function cpuSeconds(pid) {
  try {
    const f = statFields(pid);
    return (f[11] + f[12]) / ticksPerSecond; // utime (14) + stime (15)
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds of `pid`'s whole process tree (issue 12: a primary and its DNS workers): each live
 * process with what its reaped children used (a worker that died and was replaced still counts);
 * NaN when `pid` itself is gone.
 */
export function treeCpuSeconds(pid) {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      const f = statFields(p);
      total += (f[11] + f[12] + f[13] + f[14]) / ticksPerSecond;
    } catch {
      if (p === pid) return NaN;
    }
  }
  return total;
}

/** CPU seconds of our children that have exited and been reaped (cutime 16 + cstime 17): dnsperf. */
function reapedChildrenSeconds() {
  const f = statFields('self');
  return (f[13] + f[14]) / ticksPerSecond;
}

/** Busy seconds (user + nice + system, the time processes run) per core from /proc/stat. */
function coreBusy() {
  const busy = new Map();
  for (const m of fs.readFileSync('/proc/stat', 'utf8').matchAll(/^cpu(\d+) (\d+) (\d+) (\d+)/gm)) {
    busy.set(Number(m[1]), (Number(m[2]) + Number(m[3]) + Number(m[4])) / ticksPerSecond);
  }
  return busy;
}

/**
 * Waits, in one-second samples, until every process together used under `threshold` of each of
 * `cores` (the servers are idle between runs), at most `maxSeconds`; resolves the seconds waited.
 */
export async function waitQuiet(cores, threshold, maxSeconds) {
  const start = process.hrtime.bigint();
  const waited = () => Number(process.hrtime.bigint() - start) / 1e9;
  while (waited() < maxSeconds) {
    const a = coreBusy();
    await new Promise((r) => setTimeout(r, 1000));
    const b = coreBusy();
    if (cores.every((c) => (b.get(c) ?? 0) - (a.get(c) ?? 0) < threshold)) break;
  }
  return waited();
}

function snapshot(pid, helper) {
  const self = process.cpuUsage();
  return {
    t: process.hrtime.bigint(),
    server: treeCpuSeconds(pid),
    helper: helper ? helper.cpuSeconds() : 0,
    children: reapedChildrenSeconds(),
    self: (self.user + self.system) / 1e6,
    busy: coreBusy(),
  };
}

/**
 * Runs `fn` (one dnsperf run) and adds, as shares of one core over its wall time: serverCpu,
 * loadCpu (dnsperf), otherServerCore and otherLoadCore (everything else that ran there).
 * `cores` = { server, load, shared }. `helper` (optional) is a process the scenario needs, pinned to
 * the load core ({ cpuSeconds() }: PostgreSQL): its share comes out as helperCpu, not as "others".
 * `spread` (a list of cores): the server and dnsperf run over these (DNS workers); otherServerCore
 * is then what others took on all of them together, otherLoadCore NaN.
 * The server's CPU is its whole process tree's (primary and workers).
 */
export async function withCpu(pid, cores, fn, helper, spread) {
  const a = snapshot(pid, helper);
  const result = await fn();
  const b = snapshot(pid, helper);
  const wall = Number(b.t - a.t) / 1e9;
  const d = (k) => b[k] - a[k];
  const busy = (core) => (b.busy.get(core) ?? NaN) - (a.busy.get(core) ?? NaN);
  const ours = { server: d('server'), load: d('children') + d('self') + d('helper') };
  // A server spread over several cores (DNS workers, issue 12) may share dnsperf's: only the sum
  // over every core either uses tells others apart, shown in the server column.
  const other = cores.shared
    ? { server: busy(cores.server) - ours.server - ours.load, load: NaN }
    : spread
      ? { server: spread.reduce((sum, c) => sum + busy(c), 0) - ours.server - ours.load, load: NaN }
      : { server: busy(cores.server) - ours.server, load: busy(cores.load) - ours.load };
  return {
    ...result,
    serverCpu: ours.server / wall,
    loadCpu: d('children') / wall,
    ...(helper ? { helperCpu: d('helper') / wall } : {}),
    otherServerCore: Math.max(0, other.server) / wall,
    otherLoadCore: Math.max(0, other.load) / wall,
  };
}
