/**
 * The HTTP API: acme-dns's /register, /update and /health, our /account and /openapi.json, and
 * the server that listens for them.
 */
export { apiRoutes, createApiApp, type ApiDeps } from './app';
export { startApiServer, type ApiServer, type ApiServerOptions } from './server/listen';
export { metricsAudience, type MetricsAudience } from './routes/metrics';
export type { StoreProbe } from './routes/ready';
