/**
 * The HTTP API: acme-dns's /register, /update and /health, our /account, /status and /openapi.json,
 * the self-service page's files, and
 * the server that listens for them.
 */
export { apiRoutes, createApiApp, DEFAULT_WEB_ROOT, type ApiDeps } from './app';
export { startApiServer, type ApiServer, type ApiServerOptions } from './server/listen';
export { metricsAudience, type MetricsAudience } from './routes/metrics';
export type { StoreProbe } from './routes/ready';
