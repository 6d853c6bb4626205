/**
 * `general.workers` > 1: DNS served by worker processes (dns-worker.ts), supervised by the
 * primary (supervisor.ts), which keeps everything else (API, ACME, accounts, transfers, audit).
 */
import type { UpdateActions } from '../accounts';
import type { Config, ConfigSource } from '../config';
import { createUpdateHandler, parseZone } from '../dns';
import type { Logger } from '../log';
import { clusterExposition, type Metrics, type MetricsExposition } from '../metrics';
import { startDnsWorkers, type DnsWorkers } from './supervisor';

export { WORKER_ENTRY, type DnsWorkers } from './supervisor';

/** The DNS workers as the daemon runs them. */
export interface WorkersPart {
  readonly addresses: DnsWorkers['addresses'];
  /** /metrics: the primary's series and every worker's, summed. */
  readonly exposition: MetricsExposition | undefined;
  stop(): Promise<void>;
}

/** What the primary hands its workers. */
export interface WorkersInputs {
  readonly config: Config;
  readonly count: number;
  /** The config's source, parsed again by each worker; absent: cannot fork (in-process embedding). */
  readonly source: ConfigSource | undefined;
  /** The accounts service: forwarded UPDATEs are answered with it, as in one process. */
  readonly accounts: UpdateActions;
  /** The DNS module's logger (UPDATE lines read as in one process). */
  readonly dnsLogger: Logger;
  readonly logger: Logger;
  readonly metrics: Metrics | undefined;
}

/** Forks and starts the workers; rejects when one cannot start (then none is left running). */
export async function startWorkersPart(inputs: WorkersInputs): Promise<WorkersPart> {
  const { config, metrics } = inputs;
  if (inputs.source === undefined) {
    throw new Error(`general.workers = ${inputs.count} needs the config file the workers read (acmedns serve -c FILE); embedded, set workers = 1`);
  }
  const update = createUpdateHandler({
    apexLabels: parseZone(config.dns).apexLabels,
    accounts: inputs.accounts,
    logger: inputs.dnsLogger,
    now: () => Date.now() / 1000,
    metrics: metrics && { dnsUpdate: metrics.dnsUpdate.bind(metrics) },
  });
  const workers = await startDnsWorkers({ count: inputs.count, source: inputs.source, listen: config.dns.listen, logger: inputs.logger, update });
  return {
    addresses: workers.addresses,
    exposition: metrics && clusterExposition(metrics, () => workers.metrics()),
    stop: () => workers.stop(),
  };
}
