/**
 * GET /ready (ours): readiness for load balancers and orchestrators, unlike /health (liveness,
 * acme-dns's, never checks the store): 200 `{"store": "ok"}` when the store answers a trivial
 * query, 503 `{"store": "unavailable"}` when it does not (the server would answer SERVFAIL and 503).
 */
import type { Logger } from '../../log';
import type { Handler } from '../context';
import { jsonReply, type Reply } from '../http/reply';

/** The one thing readiness asks of the store: the API holds no other part of it (accounts/ changes accounts). */
export interface StoreProbe {
  /** One cheap round trip; rejects when the store is unavailable. */
  ping(): Promise<void>;
}

/** What readiness needs. */
export interface ReadyDeps {
  readonly store: StoreProbe;
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
