/**
 * CORS with rs/cors semantics, as acme-dns configures it (reference §1.5): allowed origins from
 * `corsorigins` (lower-cased; `*` anywhere or an empty list allows all; one `*` inside an origin is
 * a wildcard), methods GET and POST (and DELETE for our /account), preflights answered 204. One change: the request
 * headers X-Api-User and X-Api-Key are allowed, so a browser can call /update.
 */

/** The allowed origins, prepared once. */
export interface CorsPolicy {
  readonly allowAll: boolean;
  readonly exact: readonly string[];
  readonly wildcards: readonly { readonly prefix: string; readonly suffix: string }[];
}

/** What CORS does to one request: whether it is a preflight, and the headers to add. */
export interface CorsOutcome {
  readonly preflight: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

// DELETE is ours too: a browser may delete its own account (DELETE /account).
const ALLOWED_METHODS = ['GET', 'POST', 'DELETE'];
// rs/cors's defaults (Origin, Accept, Content-Type, X-Requested-With) plus the two API headers.
const ALLOWED_HEADERS = ['Origin', 'Accept', 'Content-Type', 'X-Requested-With', 'X-Api-User', 'X-Api-Key'];

/** Builds the policy from `corsorigins`. */
export function corsPolicy(origins: readonly string[]): CorsPolicy {
  const exact: string[] = [];
  const wildcards: { prefix: string; suffix: string }[] = [];
  if (origins.length === 0) return { allowAll: true, exact, wildcards };
  for (const raw of origins) {
    const origin = raw.toLowerCase();
    if (origin === '*') return { allowAll: true, exact: [], wildcards: [] };
    const star = origin.indexOf('*');
    if (star >= 0) wildcards.push({ prefix: origin.slice(0, star), suffix: origin.slice(star + 1) });
    else exact.push(origin);
  }
  return { allowAll: false, exact, wildcards };
}

/** rs/cors isOriginAllowed: exact (lower-cased) or prefix*suffix with room for both. */
export function isOriginAllowed(policy: CorsPolicy, origin: string): boolean {
  if (policy.allowAll) return true;
  const o = origin.toLowerCase();
  if (policy.exact.includes(o)) return true;
  return policy.wildcards.some(
    (w) => o.length >= w.prefix.length + w.suffix.length && o.startsWith(w.prefix) && o.endsWith(w.suffix),
  );
}

/** Go's http.CanonicalHeaderKey for header names made of token characters. */
export function canonicalHeaderKey(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((p) => (p === '' ? p : p[0]?.toUpperCase() + p.slice(1)))
    .join('-');
}

/** The request headers CORS reads (first values). */
export interface CorsRequest {
  readonly method: string;
  readonly origin: string | undefined;
  readonly requestMethod: string | undefined;
  readonly requestHeaders: string | undefined;
}

/**
 * rs/cors Handler: OPTIONS with Access-Control-Request-Method is a preflight (answered 204 by the
 * caller, grant headers only when origin, method and headers are all allowed); anything else is an
 * actual request that gets Access-Control-Allow-Origin when its origin is allowed.
 */
export function applyCors(policy: CorsPolicy, req: CorsRequest): CorsOutcome {
  const allowOrigin = (origin: string): string => (policy.allowAll ? '*' : origin);
  if (req.method === 'OPTIONS' && req.requestMethod) {
    const vary = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
    const denied = { preflight: true, headers: { Vary: vary } };
    if (!req.origin || !isOriginAllowed(policy, req.origin)) return denied;
    const method = req.requestMethod.toUpperCase();
    if (method !== 'OPTIONS' && !ALLOWED_METHODS.includes(method)) return denied;
    const asked = (req.requestHeaders ?? '')
      .split(/[\s,]+/)
      .filter((h) => h !== '')
      .map(canonicalHeaderKey);
    if (!asked.every((h) => ALLOWED_HEADERS.includes(h))) return denied;
    const headers: Record<string, string> = {
      Vary: vary,
      'Access-Control-Allow-Origin': allowOrigin(req.origin),
      'Access-Control-Allow-Methods': method,
    };
    if (asked.length > 0) headers['Access-Control-Allow-Headers'] = asked.join(', ');
    return { preflight: true, headers };
  }
  const method = req.method.toUpperCase();
  if (!req.origin || !isOriginAllowed(policy, req.origin) || (method !== 'OPTIONS' && !ALLOWED_METHODS.includes(method))) {
    return { preflight: false, headers: { Vary: 'Origin' } };
  }
  return { preflight: false, headers: { Vary: 'Origin', 'Access-Control-Allow-Origin': allowOrigin(req.origin) } };
}
