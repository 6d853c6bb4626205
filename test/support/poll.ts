/** Waiting for something a test cannot be told about (a background prune, a lease expiring, a log line). */
import { setTimeout as sleep } from 'node:timers/promises';

/** How often to look and for how long. */
export interface PollOptions {
  readonly everyMs?: number;
  readonly timeoutMs?: number;
  /** Put into the error, so a timeout shows what the server said meanwhile. */
  readonly log?: () => string;
}

/** Polls `predicate` every `everyMs` (100) until it holds; fails naming `what` after `timeoutMs` (20 s). */
export async function until(what: string, predicate: () => boolean | Promise<boolean>, options: PollOptions = {}): Promise<void> {
  const everyMs = options.everyMs ?? 100;
  const tries = Math.ceil((options.timeoutMs ?? 20_000) / everyMs);
  for (let i = 0; i < tries; i++) {
    if (await predicate()) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${options.log ? `; log:\n${options.log()}` : ''}`);
}
