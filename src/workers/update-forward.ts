/**
 * A DNS worker's RFC 2136 UPDATE path: the whole message goes to the primary, which answers it
 * with the one accounts service (its limits, write budgets and audit stay in one place, as with
 * one process); the reply bytes come back. No reply in time, or no primary: SERVFAIL, so the
 * client retries (RFC 2136 §4) rather than waits.
 */
import type { UpdateHandler } from '../dns';
import { updateServfail } from '../dns';
import type { Logger } from '../log';
import type { ToPrimary } from './ipc';

/** Longer than a durable write may take on the primary (the store's write timeout is 20 s). */
export const UPDATE_TIMEOUT_MS = 25_000;

/** Sends a message to the primary; calls back with an error when the channel is gone. */
export type SendToPrimary = (message: ToPrimary, done: (err: Error | null) => void) => void;

/** The forwarding handler and the primary's replies it waits for. */
export interface UpdateForwarder {
  readonly forward: UpdateHandler;
  /** A reply from the primary (base64, or null: send nothing). */
  settle(id: number, reply: string | null): void;
  /** The primary is gone: every UPDATE waiting gets SERVFAIL now. */
  failAll(): void;
}

/** Builds the forwarder over `send`. */
export function createUpdateForwarder(send: SendToPrimary, logger: Logger, timeoutMs = UPDATE_TIMEOUT_MS): UpdateForwarder {
  const pending = new Map<number, { readonly fail: () => void; readonly done: (reply: Buffer | null) => void }>();
  let next = 0;
  return {
    forward(msg, transport, source) {
      return new Promise((resolve) => {
        const id = next;
        next = (next + 1) % 2 ** 31;
        const finish = (reply: Buffer | null): void => {
          clearTimeout(timer);
          pending.delete(id);
          resolve(reply);
        };
        const fail = (): void => finish(updateServfail(msg));
        const timer = setTimeout(() => {
          logger.warn({ source, transport }, 'RFC 2136 UPDATE: no answer from the primary in time: SERVFAIL');
          fail();
        }, timeoutMs);
        pending.set(id, { fail, done: finish });
        send({ type: 'update', id, message: msg.toString('base64'), transport, source }, (err) => {
          if (err === null) return;
          logger.warn({ err: err.message, source }, 'RFC 2136 UPDATE: the primary cannot be reached: SERVFAIL');
          fail();
        });
      });
    },
    settle(id, reply) {
      pending.get(id)?.done(reply === null ? null : Buffer.from(reply, 'base64'));
    },
    failAll() {
      for (const { fail } of [...pending.values()]) fail();
    },
  };
}
