/**
 * What a DNS worker runs: its own store on the primary's database (migrated by the primary before
 * the fork), its own metrics, the DNSSEC keys the primary claimed (read, and polled for rollover
 * steps), and the DNS server built by the same createDnsPart as the single process, on sockets
 * shared with the other workers, UPDATE forwarded to the primary.
 */
import type { AddressInfo } from 'node:net';
import type { Config } from '../config';
import { createDnsPart } from '../daemon-dns';
import { startDnssecPart } from '../daemon-dnssec';
import { createTransferPart } from '../daemon-transfer';
import type { UpdateHandler } from '../dns';
import type { Logger } from '../log';
import { createMetrics, timedStore, type Metrics } from '../metrics';
import { openStore, type Store } from '../store';

/** A started worker. */
export interface WorkerParts {
  readonly addresses: { readonly udp: AddressInfo[]; readonly tcp: AddressInfo[] };
  readonly metrics: Metrics | undefined;
  /** Stops listening (in-flight answers finish), the key poll, then closes the store. */
  stop(): Promise<void>;
}

/** Starts the worker's parts; what was started before a failure is stopped again. */
export async function startWorkerParts(config: Config, logger: Logger, update: UpdateHandler): Promise<WorkerParts> {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((err: unknown) => logger.error({ err }, 'error while stopping'));
    }
  };
  try {
    const metrics = config.metrics.enabled ? createMetrics() : undefined;
    const opened: Store = await openStore(config.database, config.txt, config.dns.domain, logger.child({ module: 'store' }));
    cleanups.push(() => opened.close());
    const store = metrics === undefined ? opened : timedStore(opened, metrics);
    // The key lookup only: the jobs and NOTIFY run in the primary (never start()ed here).
    const transfer = createTransferPart(config, store, logger.child({ module: 'xfr' }), metrics);
    const dnssec = await startDnssecPart(config, store, logger.child({ module: 'dnssec' }), metrics);
    if (dnssec !== undefined) cleanups.push(async () => dnssec.stop());
    const dns = createDnsPart({
      config,
      store,
      logger: logger.child({ module: 'dns' }),
      metrics,
      tsigKey: (name) => transfer.tsigKey(name),
      dnssec: dnssec?.security,
      worker: { update },
    });
    const addresses = await dns.start();
    cleanups.push(() => dns.stop());
    return { addresses, metrics, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
