/**
 * The API's routes (route-table.ts) and the one path every request takes through Express: CORS, canonical path,
 * route and method, handler, error mapping, one reply, one log line (http/exchange.ts). No
 * listening here (server/listen.ts does that).
 */
import express, { type ErrorRequestHandler } from 'express';
import type { ApiConfig } from '../config/types';
import { BodyAbortedError } from './bodies/raw';
import { clientIpPolicy } from './http/client-ip';
import { applyCors, corsPolicy } from './http/cors';
import { ApiError, mapError } from './errors';
import { createExchanges } from './http/exchange';
import { LOOPBACK_RANGES } from '../core/cidr';
import { requestObserver } from './telemetry/request-metrics';
import { canonicalPath, requestPath, routablePath } from './http/paths';
import { createRefusalLog } from './telemetry/refusal-log';
import { notFoundReply } from './http/reply';
import { serveRouteMethods } from './http/route-methods';
import { metricsAudience } from './routes/metrics';
import { apiRoutes, type ApiDeps } from './route-table';

export { apiRoutes, DEFAULT_WEB_ROOT, type ApiDeps } from './route-table';

/** The HSTS value as acme-dns v2-master builds it (RFC 6797 §6.1). */
export function hstsHeader(hsts: ApiConfig['hsts']): string | undefined {
  if (!hsts.enabled) return undefined;
  const maxAge = hsts.maxAge > 0 ? hsts.maxAge : 31536000;
  return `max-age=${maxAge}${hsts.includeSubdomains ? '; includeSubDomains' : ''}${hsts.preload ? '; preload' : ''}`;
}

/**
 * Builds the Express app serving apiRoutes. Express matches routes and methods and carries every
 * failure to the one error handler; what stays ours is where Express would change bytes:
 * - Paths: the target is reduced to http/paths.ts's canonical form before the router, which then
 *   matches it exactly (`strict`, `case sensitive`; Express decodes only route parameters, and
 *   there are none). Express alone forgives `/REGISTER` and `/register/`, but not `//register`.
 * - 405, OPTIONS and HEAD as httprouter answers them (http/route-methods.ts).
 * - CORS with rs/cors's exact headers (http/cors.ts); the `cors` package answers preflights
 *   differently.
 * - The reply, written once by http/exchange.ts (HSTS, `Connection: close`), never by res.send or
 *   res.json, which add ETag, a charset and Content-Length rules of their own.
 */
export function createApiApp(deps: ApiDeps): express.Express {
  const routes = apiRoutes(deps);
  const cors = corsPolicy(deps.config.corsOrigins);
  const scrapers = metricsAudience(deps.metricsAllow ?? LOOPBACK_RANGES);
  const exchanges = createExchanges({
    logger: deps.logger,
    policy: clientIpPolicy(deps.config),
    hsts: hstsHeader(deps.config.hsts),
    observe: requestObserver(deps.metrics, new Set(routes.keys())),
    // 429s: one log line per address and second, counting the rest (telemetry/refusal-log.ts).
    refusals: createRefusalLog(1),
  });

  const app = express();
  // Before the first route: Express 5 builds its router with these settings when first used.
  app.enable('strict routing');
  app.enable('case sensitive routing');
  app.disable('x-powered-by');
  app.disable('etag');

  app.use((req, res, next) => {
    const rawPath = requestPath(req.url);
    const exchange = exchanges.open(req, res, rawPath);
    const outcome = applyCors(cors, {
      method: req.method,
      origin: exchange.header('origin'),
      requestMethod: exchange.header('access-control-request-method'),
      requestHeaders: exchange.header('access-control-request-headers'),
    });
    exchange.corsHeaders = outcome.headers;
    if (outcome.preflight) {
      exchange.rec.outcome = 'preflight';
      exchange.send({ status: 204, headers: {}, body: '' });
      return;
    }
    const route = canonicalPath(rawPath);
    exchange.rec.route = route;
    // What the router matches; the query goes (no route reads it; req.originalUrl keeps the target).
    req.url = routablePath(route);
    next();
  });

  for (const [path, methods] of routes) {
    const route = app.route(path);
    // Outside metrics.allow, /metrics does not exist (404, not 403 or 405: nothing to tell apart).
    if (path === '/metrics') {
      route.all((req, _res, next) => {
        const exchange = exchanges.of(req);
        if (scrapers.admits(exchange.client.ip)) return next();
        exchange.rec.reason = 'not in metrics.allow';
        next('route');
      });
    }
    serveRouteMethods(route, methods, { exchanges, maxBodyBytes: deps.config.maxBodyBytes });
  }
  // With registration disabled /register does not exist, exactly as in acme-dns.
  if (deps.config.disableRegistration) app.all('/register', (_req, _res, next) => next(new ApiError('registration_disabled')));

  app.use((req) => {
    const exchange = exchanges.of(req);
    exchange.rec.outcome = 'not_found';
    exchange.send(notFoundReply());
  });
  // The one place a failure becomes a reply (errors.ts maps it).
  app.use(((err: unknown, req, _res, _next) => {
    // The client went away before its body arrived: nobody to answer (http/exchange.ts logs `aborted`).
    if (err instanceof BodyAbortedError) return;
    const exchange = exchanges.of(req);
    const mapped = mapError(err);
    exchange.rec.outcome = mapped.code;
    if (mapped.reason !== undefined) exchange.rec.reason = mapped.reason;
    if (mapped.internal !== undefined) exchange.rec.err = mapped.internal;
    exchange.send(mapped.reply);
  }) satisfies ErrorRequestHandler);
  return app;
}
