/** GET /health: 200 with an empty body and no Content-Type, no store check (acme-dns healthcheck.go). */
import type { Handler } from '../context';

/** The health handler. */
export function healthHandler(): Handler {
  return () => Promise.resolve({ status: 200, headers: {}, body: '' });
}
