/**
 * The Node options a DNS worker is forked with: the primary's own (an operator's flags reach every
 * process), plus a smaller young generation unless the operator chose its size.
 *
 * V8 lets each semi-space of the young generation grow to 16 MiB on 64-bit, and grows it while
 * many objects survive (a worker's start: modules, config, the account index's build); the space
 * is then kept, resident, for the life of the process. 4 MiB semi-spaces measured 7 MiB less RSS
 * per worker at 1,000,000 accounts under dnsperf (TXT for random accounts, workers = 2: 153-154 ->
 * 145-147 MiB each) with throughput unchanged within the run-to-run noise: one process, TXT for
 * random accounts 55.1k q/s mean at 8 MiB, 54.9k/51.8k at 4; signed (DO, [dnssec] on) 7.8k/7.5k at
 * 8, 7.7k/7.8k at 4. At 2 MiB the signed load lost 5-10% to scavenges (6.9k/7.4k) for 3 MiB less.
 */

/** Each semi-space of a DNS worker's young generation, MiB. */
export const WORKER_SEMI_SPACE_MIB = 4;

/** `parent` (process.execArgv) with the worker's young-generation size added when it sets none. */
export function workerExecArgv(parent: readonly string[]): string[] {
  const chosen = parent.some((arg) => /^--max[-_]semi[-_]space[-_]size(=|$)/.test(arg));
  return chosen ? [...parent] : [...parent, `--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`];
}
