/**
 * Part of the composition root (daemon.ts): zone transfers and NOTIFY (`[transfer]`, issue 10).
 * Builds the store every part changes accounts through, so that each local change of the zone
 * reads the new serial at once and NOTIFY goes out without waiting for the poll; the background
 * jobs (expiry, journal prune, and with secondaries the serial poll for other instances' and the
 * CLI's changes); and the key lookup transfers and signed queries verify with, the transfer key in
 * front of the accounts'.
 */
import type { Config } from './config/types';
import { createZoneNotifier, startZoneJobs, type Notifier, type ZoneJobs } from './dns';
import type { TsigKey } from './dns/tsig';
import type { Logger } from './log';
import type { TransferMetrics } from './metrics/types';
import type { Store } from './store';

/** Job timing the config does not set (tests prune the journal sooner). */
export interface ZoneJobsTiming {
  readonly pruneIntervalMs?: number;
}

/** The transfer part before and after the DNS server listens. */
export interface TransferPart {
  /** The store whose changes kick the serial read (hand it to accounts, the API and the ACME manager). */
  readonly store: Store;
  /** `[transfer] tsig_key` first, then the accounts' keys: a transfer must be signed with THE transfer key. */
  tsigKey(name: string): Promise<TsigKey | undefined>;
  /** Starts the jobs and the NOTIFY sender (after the DNS server listens: secondaries transfer at once). */
  start(): void;
  /** Stops them (before the DNS server and the store). */
  stop(): Promise<void>;
}

/** Wraps `store` and prepares the jobs; nothing runs before start(). */
export function createTransferPart(config: Config, store: Store, logger: Logger, metrics?: Partial<TransferMetrics>, timing: ZoneJobsTiming = {}): TransferPart {
  let jobs: ZoneJobs | undefined;
  let notifier: Notifier | undefined;
  // After the change is durable; a failed change changed nothing to notify.
  const kicks = <A extends unknown[], R>(fn: (...args: A) => Promise<R>): ((...args: A) => Promise<R>) => {
    const call = fn.bind(store);
    return async (...args) => {
      const result = await call(...args);
      jobs?.kick();
      return result;
    };
  };
  // The methods that change the zone's content (and so its serial).
  const kicking: Store = {
    ...store,
    putTxt: kicks(store.putTxt),
    removeTxt: kicks(store.removeTxt),
    clearTxt: kicks(store.clearTxt),
    deleteAccount: kicks(store.deleteAccount),
    applyTxtUpdate: kicks(store.applyTxtUpdate),
    putChallenge: kicks(store.putChallenge),
    removeChallenge: kicks(store.removeChallenge),
    importAccounts: kicks(store.importAccounts),
  };
  const transferKey = config.transfer.tsig && {
    name: config.transfer.tsig.name,
    algorithm: config.transfer.tsig.algorithm,
    secret: Buffer.from(config.transfer.tsig.secret, 'base64'),
  };
  return {
    store: kicking,
    async tsigKey(name) {
      if (transferKey && name === transferKey.name) return transferKey;
      const found = await store.findTsigKey(name);
      return found && { name: found.name, algorithm: found.algorithm, secret: found.secret };
    },
    start() {
      const t = config.transfer;
      const sender = t.secondaries.length > 0 ? createZoneNotifier(config.dns, t, logger, metrics) : undefined;
      notifier = sender;
      jobs = startZoneJobs({
        store,
        journalSize: t.journalSize,
        expiryIntervalMs: t.expiryIntervalSeconds * 1000,
        pollIntervalMs: sender ? t.notifyPollSeconds * 1000 : undefined,
        onSerial: (serial) => sender?.notify(serial),
        logger,
        ...timing,
      });
    },
    async stop() {
      await jobs?.stop();
      await notifier?.stop();
    },
  };
}
