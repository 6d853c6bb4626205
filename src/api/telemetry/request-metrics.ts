/**
 * What the metrics learn from each request, derived from its one RequestRecord (the same facts
 * the log line holds): route and status, a failed authentication's reason, and the two events
 * operators count (registrations, stored TXT values). Labels come from small fixed sets only.
 */
import type { ApiMetrics } from '../../metrics/types';
import { canonicalPath } from '../http/paths';
import type { RequestRecord } from './request-log';

/** accounts/authenticate.ts's reasons (log text) -> a reason label; anything new counts as `other`. */
const AUTH_REASONS: readonly (readonly [prefix: string, reason: string])[] = [
  ['X-Api-User is not a UUID', 'malformed_user'],
  ['X-Api-Key is not a key', 'malformed_key'],
  ['unknown user', 'unknown_user'],
  ['account deleted meanwhile', 'unknown_user'],
  ['bad key', 'wrong_key'],
  ['ip not allowed', 'ip_not_allowed'],
  ['subdomain mismatch', 'subdomain_mismatch'],
];

/** The reason label of a failed authentication, from the error's detail. */
export function authFailureReason(detail: string | undefined): string {
  if (detail === undefined) return 'other';
  return AUTH_REASONS.find(([prefix]) => detail.startsWith(prefix))?.[1] ?? 'other';
}

/** The route label: a served route's canonical path, or `unmatched` (arbitrary paths must not become series). */
export function routeLabel(path: string, served: ReadonlySet<string>): string {
  const route = canonicalPath(path);
  return route !== undefined && served.has(route) ? route : 'unmatched';
}

/** Records a finished (status set) or abandoned (status unset) request; a no-op without metrics. */
export function requestObserver(metrics: ApiMetrics | undefined, served: ReadonlySet<string>): (rec: RequestRecord) => void {
  if (metrics === undefined) return () => undefined;
  return (rec) => {
    const route = routeLabel(rec.path, served);
    metrics.apiRequest(route, rec.status ?? 'aborted');
    if (rec.outcome === 'forbidden') metrics.authFailure(authFailureReason(rec.reason));
    if (route === '/register' && rec.status === 201) metrics.registration();
    // lego's httpreq /present stores a value exactly as /update does.
    if ((route === '/update' || route === '/present') && rec.status === 200) metrics.txtUpdate();
  };
}
