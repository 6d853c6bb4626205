/** The HTTP API: acme-dns's /register, /update and /health, and the server that listens for them. */
export { createApiApp, type ApiDeps } from './app';
export { startApiServer, type ApiServer } from './listen';
