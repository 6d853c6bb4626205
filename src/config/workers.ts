/**
 * `general.workers`: how many processes serve DNS. `"auto"` is one per CPU the runtime may use;
 * `1` is the single process (no cluster at all). The number is resolved when the daemon starts,
 * not when the config is parsed, so a frozen config means the same on any machine.
 */
import os from 'node:os';
import { z } from 'zod';
import { expected, fromEnv, show } from './fields';

/** More DNS processes than this only costs memory (each opens its own store). */
export const MAX_WORKERS = 1024;

/** The config value: a count, or `'auto'` for one per available CPU. */
export type WorkersSetting = number | 'auto';

const WHAT = `"auto" or an integer from 1 to ${MAX_WORKERS}`;

/** The `workers` key: `"auto"` (any case) or 1..MAX_WORKERS; integer-looking env text is a number. */
export function workersKey() {
  const base = fromEnv('int', z.union([z.number(), z.string()], { error: expected(WHAT) }));
  return base.transform((value, ctx): WorkersSetting => {
    if (typeof value === 'string' && value.trim().toLowerCase() === 'auto') return 'auto';
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_WORKERS) return value;
    ctx.addIssue({ code: 'custom', input: value, message: `must be ${WHAT} (got ${show(value)})` });
    return z.NEVER;
  });
}

/** The number of DNS processes a setting means on this machine (`'auto'`: os.availableParallelism()). */
export function resolveWorkerCount(value: WorkersSetting, cpus: () => number = os.availableParallelism): number {
  if (value !== 'auto') return value;
  return Math.min(MAX_WORKERS, Math.max(1, cpus()));
}
