/**
 * GET /metrics on the API listener (`[metrics] listen = ""`): the Prometheus text exposition, for
 * the sources in `metrics.allow` only. The counters (per route, per authentication failure reason)
 * and versions help whoever probes the server, so everyone else gets the plain 404 of a path that
 * does not exist.
 */
import { anyContains, parseCidrList, parseClientIp, type IpAddress } from '../../core/cidr';
import type { MetricsExposition } from '../../metrics/types';
import type { Handler } from '../context';

/** The metrics handler: rendered per scrape, never cached. */
export function metricsHandler(exposition: MetricsExposition): Handler {
  return async () => ({
    status: 200,
    headers: { 'Content-Type': exposition.contentType, 'Cache-Control': 'no-store' },
    body: await exposition.render(),
  });
}

/** Who may scrape: built once from `metrics.allow`. */
export interface MetricsAudience {
  /** The API's resolved client (behind a trusted proxy, the forwarded address). */
  admits(client: IpAddress | undefined): boolean;
  /** A socket peer as Node reports it (`::ffff:10.0.0.1` counts as IPv4). */
  admitsPeer(peer: string | undefined): boolean;
}

/** The audience of the CIDRs in `allow`; an address that does not parse is never admitted. */
export function metricsAudience(allow: readonly string[]): MetricsAudience {
  const ranges = parseCidrList(allow);
  const admits = (client: IpAddress | undefined): boolean => client !== undefined && anyContains(ranges, client);
  return { admits, admitsPeer: (peer) => admits(parseClientIp(peer ?? '')) };
}
