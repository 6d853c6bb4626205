// CPU time of the server under test, from /proc (Linux): shows whether a throughput run
// saturated the server's core or was limited by the load generator.
import fs from 'node:fs';
import { run } from './proc.mjs';

let ticksPerSecond;

/** Reads CLK_TCK once (the unit of /proc/<pid>/stat times); 100 on every common Linux. */
export async function initCpuClock() {
  const { stdout } = await run('getconf', ['CLK_TCK']).catch(() => ({ stdout: '' }));
  ticksPerSecond = Number(stdout.trim()) || 100;
}

/** User + system CPU seconds the process (all threads) has used, or NaN when unreadable. */
export function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // proc(5): fields after "(comm)" start at field 3 (state); utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / (ticksPerSecond ?? 100);
  } catch {
    return NaN;
  }
}

/** Runs `fn` and adds `serverCpu`: the server's CPU use over the run as a share of one core. */
export async function withCpu(pid, fn) {
  const c0 = cpuSeconds(pid);
  const t0 = process.hrtime.bigint();
  const result = await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return { ...result, serverCpu: (cpuSeconds(pid) - c0) / wall };
}
