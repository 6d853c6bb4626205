/**
 * The order lease: with several instances on one database, one at a time orders or renews the
 * API's certificate. The lease lives in the store with an expiry, so a holder that crashed blocks
 * the others for at most its ttl; while an order runs, its holder extends it. Expiry is measured
 * by the database's clock, never the instance's.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Logger } from '../../log';
import type { AcmePort } from '../../store/types';
import { messageOf } from '../renewal/failure';

/** This instance's claim on ordering one certificate. */
export interface OrderLease {
  /** Who we are in the leases table (host name, pid and a random part: unique per manager). */
  readonly holder: string;
  /** Takes (or extends) the lease for the ttl; false while another instance holds it. */
  acquire(): Promise<boolean>;
  /** Extends the lease every `renewMs` until the returned function is called (an order in progress). */
  keepAlive(): () => void;
  /** Keeps the lease for `seconds` from now (at most the ttl), e.g. until our own retry. Best effort. */
  holdFor(seconds: number): Promise<void>;
  /** Gives the lease up so another instance may order at once. Best effort. */
  release(): Promise<void>;
}

/** A unique holder name: readable in the database (which host), distinct per manager. */
export function holderId(): string {
  return `${os.hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
}

/** The lease `name` in `store`, held for `ttlSeconds` at a time. */
export function createOrderLease(options: {
  store: AcmePort;
  name: string;
  ttlSeconds: number;
  renewMs: number;
  logger: Logger;
  holder?: string;
}): OrderLease {
  const { store, name, ttlSeconds, logger } = options;
  const holder = options.holder ?? holderId();
  // No clock of ours: the store decides with the database's, so instances whose clocks disagree
  // cannot both hold the lease.
  const take = (ttl: number): Promise<boolean> => store.acquireLease(name, holder, ttl);

  return {
    holder,
    acquire: () => take(ttlSeconds),
    keepAlive() {
      const timer = setInterval(() => {
        take(ttlSeconds).then(
          (kept) => {
            // Only when we stalled past the ttl: another instance may be ordering too. Rare and
            // harmless (two certificates for the same names); the order goes on.
            if (!kept) logger.warn({ lease: name, holder }, 'the order lease went to another instance during our order');
          },
          (err: unknown) => logger.warn({ lease: name, err: messageOf(err) }, 'could not extend the order lease'),
        );
      }, options.renewMs);
      timer.unref();
      return () => clearInterval(timer);
    },
    async holdFor(seconds) {
      await take(Math.max(1, Math.min(Math.ceil(seconds), ttlSeconds))).catch((err: unknown) =>
        logger.warn({ lease: name, err: messageOf(err) }, 'could not keep the order lease (it expires by itself)'),
      );
    },
    async release() {
      await store.releaseLease(name, holder).catch((err: unknown) =>
        logger.warn({ lease: name, err: messageOf(err) }, 'could not release the order lease (it expires by itself)'),
      );
    },
  };
}
