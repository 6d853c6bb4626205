/**
 * GET /status (public, ours): what the self-service page shows anyone: the zone, the version,
 * whether the store answers, whether registration is open, and the API certificate's expiry and
 * next renewal when the server has its own (tls = letsencrypt*, acme). Nothing account-specific.
 */
import type { Logger } from '../../log';
import type { Handler } from '../context';
import { jsonReply } from '../http/reply';
import type { StoreProbe } from './ready';

/** The own certificate as the status shows it. */
export interface CertificateStatus {
  readonly notAfter: Date;
  /** When the next renewal is planned; undefined when not known (none planned yet). */
  readonly renewAt: Date | undefined;
}

/** What the status needs. */
export interface StatusDeps {
  readonly zone: string;
  readonly version: string;
  readonly registration: boolean;
  readonly store: StoreProbe;
  /** The own certificate now; absent or undefined: the server has none (tls = none or cert, or none obtained yet). */
  readonly certificate?: () => CertificateStatus | undefined;
  readonly logger: Logger;
}

/** The status handler: 200 always (the store's state is a field, not the status code; /ready is for probes). */
export function statusHandler(deps: StatusDeps): Handler {
  return async () => {
    let store: 'ready' | 'unavailable' = 'ready';
    try {
      await deps.store.ping();
    } catch (err) {
      deps.logger.debug({ err }, 'status: store unavailable');
      store = 'unavailable';
    }
    const cert = deps.certificate?.();
    const certificate = cert === undefined ? null : { notAfter: cert.notAfter.toISOString(), renewAt: cert.renewAt?.toISOString() ?? null };
    const body = { zone: deps.zone, version: deps.version, store, registration: deps.registration, certificate };
    const reply = jsonReply(200, JSON.stringify(body));
    return { ...reply, headers: { ...reply.headers, 'Cache-Control': 'no-store' } };
  };
}
