/**
 * GET /ready (ours): readiness for load balancers and orchestrators, unlike /health (liveness,
 * acme-dns's, never checks the store): 200 `{"store": "ok"}` when the store answers a trivial
 * query, 503 `{"store": "unavailable"}` when it does not (the server would answer SERVFAIL and 503).
 */
import type { Logger } from '../../log';
import type { HealthPort } from '../../store/types';
import type { Handler } from '../context';
import { jsonReply, type Reply } from '../reply';

/** What readiness needs. */
export interface ReadyDeps {
  readonly store: HealthPort;
  readonly logger: Logger;
}

const noStore = (reply: Reply): Reply => ({ ...reply, headers: { ...reply.headers, 'Cache-Control': 'no-store' } });

/** The readiness handler. */
export function readyHandler(deps: ReadyDeps): Handler {
  return async () => {
    try {
      await deps.store.ping();
      return noStore(jsonReply(200, '{"store": "ok"}'));
    } catch (err) {
      // The request line says 503; this says why (the store's text never reaches the client).
      deps.logger.debug({ err }, 'readiness: store unavailable');
      return noStore(jsonReply(503, '{"store": "unavailable"}'));
    }
  };
}
