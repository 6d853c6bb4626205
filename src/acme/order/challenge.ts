/**
 * The server's own DNS-01 challenge (RFC 8555 §8.4): the value goes into the store, so every
 * instance sharing it answers `_acme-challenge.<name>`, and we look at our own authoritative answer
 * before telling the CA. The system resolver is never asked: it may cache, and it may not exist.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AcmePort } from '../../store/types';

/**
 * Asks our own DNS server (its listen address, directly) whether `name` TXT answers `value`.
 * The daemon supplies it, so this folder never imports the DNS part.
 */
export type CheckOwnAnswer = (name: string, value: string) => Promise<boolean>;

/** Our own answer never showed the value: the DNS path (store -> DNS server) is broken. */
export class ChallengeNotSeenError extends Error {
  constructor(
    readonly recordName: string,
    detail: string,
  ) {
    super(`our DNS server did not answer the challenge at ${recordName} TXT: ${detail}`);
    this.name = 'ChallengeNotSeenError';
  }
}

/**
 * Where the TXT for `identifier` lives in our zone. Inside the zone it is `_acme-challenge.<name>`
 * (RFC 8555 §8.4). A name outside the zone (an `api_domain` elsewhere) cannot be answered by us
 * directly: its owner delegates with `_acme-challenge.<name> CNAME _acme-challenge.<name>.<zone>.`,
 * the same CNAME step every acme-dns user takes, and we answer the in-zone target.
 */
export function challengeRecordName(identifier: string, zone: string): string {
  const name = identifier.toLowerCase().replace(/\.$/, '');
  const apex = zone.toLowerCase().replace(/\.$/, '');
  const inZone = name === apex || name.endsWith(`.${apex}`);
  return inZone ? `_acme-challenge.${name}` : `_acme-challenge.${name}.${apex}`;
}

/** Timing of the own-answer check. */
export interface VisibilityPolicy {
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** Production: every 500 ms for up to 30 s (a shared store is written before putChallenge returns). */
export const DEFAULT_VISIBILITY: VisibilityPolicy = { intervalMs: 500, timeoutMs: 30_000 };

/** Publishes, checks and withdraws own-challenge values. */
export interface ChallengePublisher {
  /** Writes `value` at `recordName` until `expiresAtSeconds` (epoch seconds), durable on return. */
  publish(recordName: string, value: string, expiresAtSeconds: number): Promise<void>;
  withdraw(recordName: string, value: string): Promise<void>;
  /** Resolves once our DNS answers `value`; ChallengeNotSeenError after the policy's timeout. */
  waitUntilVisible(recordName: string, value: string, signal?: AbortSignal): Promise<void>;
}

/** Builds a publisher over the store and the daemon's own-answer check. */
export function createChallengePublisher(deps: {
  store: AcmePort;
  checkOwnAnswer: CheckOwnAnswer;
  policy?: VisibilityPolicy;
  now?: () => number;
}): ChallengePublisher {
  const policy = deps.policy ?? DEFAULT_VISIBILITY;
  const now = deps.now ?? Date.now;
  return {
    publish: (recordName, value, expiresAt) => deps.store.putChallenge(recordName.toLowerCase(), value, expiresAt),
    withdraw: (recordName, value) => deps.store.removeChallenge(recordName.toLowerCase(), value),
    async waitUntilVisible(recordName, value, signal) {
      const deadline = now() + policy.timeoutMs;
      let lastProblem = 'the value was not in the answer';
      for (;;) {
        try {
          if (await deps.checkOwnAnswer(recordName, value)) return;
          lastProblem = 'the value was not in the answer';
        } catch (err) {
          lastProblem = (err as Error).message;
        }
        if (now() >= deadline) {
          throw new ChallengeNotSeenError(recordName, `${lastProblem} (checked for ${policy.timeoutMs} ms)`);
        }
        await sleep(policy.intervalMs, undefined, signal ? { signal } : {});
      }
    },
  };
}
