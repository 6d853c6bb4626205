// How often the machine takes the server core away from whatever runs there (issue 12's tail):
// a busy loop pinned to the core, with nothing else to do, notes every gap between two of its
// clock reads. On the VM this bench was written on, gaps of 2-25 ms came in bursts every few
// seconds while `perf record -e sched:sched_switch` showed no task of the machine running in them:
// the hypervisor had the core. Such a gap delays every query in flight on any server pinned there,
// so the tail's pooled p99.9 depends on how many land in a server's rounds. The probe runs before
// and after the rounds (never during: it would take the core from the servers) and is reported
// beside the tail, so a reader can tell the host's part from the servers'.
import { run } from './proc.mjs';

/** A gap this long between two clock reads of the loop counts as a stall. */
const STALL_MS = 1;

// The loop, as `node -e`: prints { seconds, gaps: [ms, ...] } for the gaps of STALL_MS and more.
const LOOP = `
const seconds = Number(process.argv[1]);
const gaps = [];
const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
let last = process.hrtime.bigint();
for (;;) {
  const now = process.hrtime.bigint();
  if (now >= end) break;
  const ms = Number(now - last) / 1e6;
  if (ms >= ${STALL_MS}) gaps.push(ms);
  last = now;
}
console.log(JSON.stringify({ seconds, gaps }));
`;

/** Runs the loop on `core` for `seconds`; resolves { seconds, gaps } (ms, each of STALL_MS or more). */
export async function probeHostStalls(tool, core, seconds) {
  const { code, stdout, stderr } = await run(tool.taskset, ['-c', String(core), process.execPath, '-e', LOOP, String(seconds)]);
  if (code !== 0) throw new Error(`host stall probe failed: ${stderr.trim()}`);
  return JSON.parse(stdout);
}

/** Sums probes: { probes, seconds, count, longest, totalMs } (seconds in all; longest and totalMs in ms). */
export function summarizeStalls(probes) {
  const gaps = probes.flatMap((p) => p.gaps);
  return {
    probes: probes.length,
    seconds: probes.reduce((s, p) => s + p.seconds, 0),
    count: gaps.length,
    longest: gaps.length > 0 ? Math.max(...gaps) : 0,
    totalMs: gaps.reduce((s, g) => s + g, 0),
  };
}

/** One line for the report. */
export function formatStalls(s) {
  return `Host stalls on the server core (a busy loop alone there, ${s.seconds} s in ${s.probes} runs, before and after the rounds): ` +
    `${s.count} gaps of ${STALL_MS} ms or more, longest ${s.longest.toFixed(1)} ms, ${s.totalMs.toFixed(1)} ms in all. ` +
    'Each delays whatever server is asked at that moment.';
}
