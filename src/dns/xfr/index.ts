/** Zone transfers and NOTIFY (issue 10): the parts the daemon wires. */
import type { DnsConfig, TransferConfig } from '../../config/types';
import type { Logger } from '../../log';
import type { TransferMetrics } from '../../metrics/types';
import { createSoaAt, soaRecord } from '../serial';
import { parseZone } from '../zone';
import { createNotifier, type Notifier } from './notify';

export { startZoneJobs, type ZoneJobs, type ZoneJobsOptions } from './jobs';
export type { Notifier } from './notify';

/**
 * The NOTIFY sender for `[transfer] secondaries`, signing with `[transfer] tsig_*` when set; the
 * SOA it carries is the zone's (built from `dns` as the server builds it) at each serial.
 */
export function createZoneNotifier(dns: DnsConfig, transfer: TransferConfig, logger: Logger, metrics?: Partial<TransferMetrics>): Notifier {
  const zone = parseZone(dns);
  const soaAt = createSoaAt(zone);
  const key = transfer.tsig && { name: transfer.tsig.name, algorithm: transfer.tsig.algorithm, secret: Buffer.from(transfer.tsig.secret, 'base64') };
  return createNotifier({
    targets: transfer.secondaries,
    soaAt: (serial) => soaRecord(zone, soaAt(serial)),
    key,
    retryMs: transfer.notifyRetrySeconds * 1000,
    retryMaxMs: transfer.notifyRetryMaxSeconds * 1000,
    logger,
    metrics,
  });
}
