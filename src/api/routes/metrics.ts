/** GET /metrics on the API listener (`[metrics] listen = ""`): the Prometheus text exposition. */
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
