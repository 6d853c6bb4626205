/**
 * The API's routes and the one path every request takes: CORS, canonical path, route and method,
 * handler, error mapping, one reply, one log line. No listening here (listen.ts does that).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { ApiConfig, RateLimitConfig } from '../config/types';
import type { Logger } from '../log';
import type { ApiMetrics, MetricsExposition } from '../metrics/types';
import type { ApiPort } from '../store/types';
import { BodyAbortedError, readBody } from './body';
import { clientIpPolicy, resolveClient } from './client-ip';
import type { Handler, RequestContext } from './context';
import { applyCors, corsPolicy } from './cors';
import { mapError } from './errors';
import { LOOPBACK_RANGES } from '../core/cidr';
import { ApiError } from '../core/errors';
import { requestObserver } from './observe';
import { canonicalPath, requestPath } from './paths';
import { clientKey, createRateLimiters, limitRegistrations } from './rate-limit';
import { createRefusalLog } from './refusal-log';
import { checkWithStore, createAuthGate } from './auth-gate';
import { methodNotAllowedReply, notFoundReply, type Reply } from './reply';
import { logRequest, type RequestRecord } from './request-log';
import { deleteAccountHandler, getAccountHandler } from './routes/account';
import { healthHandler } from './routes/health';
import { cleanupHandler, presentHandler } from './routes/httpreq';
import { metricsAudience, metricsHandler } from './routes/metrics';
import { openApiHandler } from './routes/openapi';
import { readyHandler } from './routes/ready';
import { registerHandler } from './routes/register';
import { updateHandler } from './routes/update';

/** What the API needs; daemon.ts passes it in. */
export interface ApiDeps {
  readonly config: ApiConfig;
  /** The zone, for `fulldomain` = subdomain + "." + domain. */
  readonly domain: string;
  readonly store: ApiPort;
  readonly logger: Logger;
  /** Current time in seconds (tests pin it). */
  readonly now?: () => number;
  /** The API's limits (`[ratelimit]`); absent: nothing is limited. */
  readonly rateLimit?: RateLimitConfig;
  /** The limits' monotonic clock in seconds (tests move it by hand); default performance.now(). */
  readonly limitClock?: () => number;
  /** Where each request's outcome is counted; absent: nowhere. */
  readonly metrics?: ApiMetrics;
  /** Given: GET /metrics serves it on this listener (`[metrics] listen = ""`). */
  readonly exposition?: MetricsExposition;
  /** CIDRs whose clients may GET /metrics (`metrics.allow`); absent: loopback only. */
  readonly metricsAllow?: readonly string[];
}

type Routes = ReadonlyMap<string, Readonly<Record<string, Handler>>>;

/** The HSTS value as acme-dns v2-master builds it (RFC 6797 §6.1). */
export function hstsHeader(hsts: ApiConfig['hsts']): string | undefined {
  if (!hsts.enabled) return undefined;
  const maxAge = hsts.maxAge > 0 ? hsts.maxAge : 31536000;
  return `max-age=${maxAge}${hsts.includeSubdomains ? '; includeSubDomains' : ''}${hsts.preload ? '; preload' : ''}`;
}

/** httprouter's `Allow` value: the route's methods plus OPTIONS, sorted. */
function allowHeader(methods: Readonly<Record<string, Handler>>): string {
  return [...Object.keys(methods), 'OPTIONS'].sort().join(', ');
}

/**
 * The routes this configuration serves, by canonical path and method: acme-dns's three (two when
 * registration is disabled), ours, and /openapi.json, which documents exactly these.
 */
export function apiRoutes(deps: ApiDeps): Routes {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const limits = createRateLimiters(deps.rateLimit, deps.limitClock);
  const gate = createAuthGate(checkWithStore(deps.store), limits);
  const routes = new Map<string, Record<string, Handler>>([
    ['/update', { POST: updateHandler({ store: deps.store, gate, now }) }],
    ['/health', { GET: healthHandler() }],
    ['/ready', { GET: readyHandler({ store: deps.store, logger: deps.logger }) }],
    ...(deps.config.disableRegistration
      ? []
      : ([['/register', { POST: limitRegistrations(limits.register, registerHandler({ store: deps.store, domain: deps.domain })) }]] as const)),
    [
      '/account',
      {
        GET: getAccountHandler({ store: deps.store, gate, domain: deps.domain, now }),
        DELETE: deleteAccountHandler({ store: deps.store, gate, domain: deps.domain, now }),
      },
    ],
    // lego's httpreq protocol on the same accounts (routes/httpreq.ts).
    ['/present', { POST: presentHandler({ store: deps.store, gate, domain: deps.domain, now }) }],
    ['/cleanup', { POST: cleanupHandler({ store: deps.store, gate, domain: deps.domain, now }) }],
    ...(deps.exposition === undefined ? [] : ([['/metrics', { GET: metricsHandler(deps.exposition) }]] as const)),
  ]);
  const served = new Map([...routes].map(([path, methods]) => [path, Object.keys(methods)]));
  served.set('/openapi.json', ['GET']);
  routes.set('/openapi.json', { GET: openApiHandler(served) });
  return routes;
}

/** Builds the Express app serving apiRoutes. */
export function createApiApp(deps: ApiDeps): express.Express {
  const routes = apiRoutes(deps);
  const policy = clientIpPolicy(deps.config);
  const cors = corsPolicy(deps.config.corsOrigins);
  const hsts = hstsHeader(deps.config.hsts);
  const observe = requestObserver(deps.metrics, new Set(routes.keys()));
  const scrapers = metricsAudience(deps.metricsAllow ?? LOOPBACK_RANGES);
  // 429s: one log line per address and second, counting the rest (refusal-log.ts).
  const refusals = createRefusalLog(1);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const method = req.method ?? '';
    const client = resolveClient(req.socket.remoteAddress, req.headersDistinct[policy.headerName], policy);
    const rawPath = requestPath(req.url ?? '/');
    const rec: RequestRecord = { client: client.text, peer: req.socket.remoteAddress ?? '', method, path: rawPath };
    res.once('close', () => {
      // Closed before we answered: the client went away (it may still be mid-body).
      if (rec.status === undefined) {
        rec.outcome = 'aborted';
        observe(rec);
      }
      if (rec.status === 429) {
        const suppressed = refusals.admit(clientKey(client));
        if (suppressed === undefined) return;
        if (suppressed > 0) rec.suppressed = suppressed;
      }
      logRequest(deps.logger, rec, performance.now() - started);
    });
    const first = (name: string): string | undefined => req.headersDistinct[name.toLowerCase()]?.[0];

    const send = (reply: Reply, extra: Readonly<Record<string, string>>): void => {
      rec.status = reply.status;
      observe(rec);
      res.statusCode = reply.status;
      for (const [k, v] of Object.entries({ ...extra, ...reply.headers })) res.setHeader(k, v);
      if (hsts !== undefined) res.setHeader('Strict-Transport-Security', hsts);
      // A body we did not read to the end must not be parsed as the next request.
      const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
      if (reply.status === 413 || (hasBody && !req.complete)) res.setHeader('Connection', 'close');
      res.end(reply.body);
    };

    const corsOutcome = applyCors(cors, {
      method,
      origin: first('origin'),
      requestMethod: first('access-control-request-method'),
      requestHeaders: first('access-control-request-headers'),
    });
    if (corsOutcome.preflight) {
      rec.outcome = 'preflight';
      send({ status: 204, headers: {}, body: '' }, corsOutcome.headers);
      return;
    }

    const route = canonicalPath(rawPath);
    rec.route = route;
    // Outside metrics.allow, /metrics does not exist (404, not 403 or 405: nothing to tell apart).
    const hidden = route === '/metrics' && routes.has(route) && !scrapers.admits(client.ip);
    if (hidden) rec.reason = 'not in metrics.allow';
    const methods = hidden ? undefined : routes.get(route);
    if (methods === undefined) {
      // With registration disabled /register does not exist, exactly as in acme-dns.
      if (route === '/register' && deps.config.disableRegistration) {
        const mapped = mapError(new ApiError('registration_disabled'));
        rec.outcome = mapped.code;
        send(mapped.reply, corsOutcome.headers);
      } else {
        rec.outcome = 'not_found';
        send(notFoundReply(), corsOutcome.headers);
      }
      return;
    }
    const handler = methods[method];
    if (handler === undefined) {
      const allow = allowHeader(methods);
      rec.outcome = method === 'OPTIONS' ? 'options' : 'method_not_allowed';
      send(method === 'OPTIONS' ? { status: 200, headers: { Allow: allow }, body: '' } : methodNotAllowedReply(allow), corsOutcome.headers);
      return;
    }

    const ctx: RequestContext = {
      client,
      header: first,
      body: () => readBody(req, deps.config.maxBodyBytes),
    };
    try {
      const reply = await handler(ctx);
      rec.outcome = 'ok';
      send(reply, corsOutcome.headers);
    } catch (err) {
      if (err instanceof BodyAbortedError) return;
      const mapped = mapError(err);
      rec.outcome = mapped.code;
      if (mapped.reason !== undefined) rec.reason = mapped.reason;
      if (mapped.internal !== undefined) rec.err = mapped.internal;
      send(mapped.reply, corsOutcome.headers);
    }
  };

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use((req, res) => {
    void handle(req, res);
  });
  return app;
}
