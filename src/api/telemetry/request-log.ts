/**
 * One log line per API request (acme-dns #268: operators feed client addresses to fail2ban):
 * client, method, path, status and outcome. Keys and passwords never appear: only the outcome
 * code and a reason chosen by the code are logged, never headers or bodies.
 */
import type { Logger } from '../../log';

/** What the line says about a request; filled in while it is handled. */
export interface RequestRecord {
  client: string;
  peer: string;
  method: string;
  path: string;
  route?: string;
  status?: number;
  /** `ok`, an error code (`forbidden`, `bad_txt`, ...), `preflight`, `not_found`, `aborted`... */
  outcome?: string;
  reason?: string;
  /** On a 429: refusals of this address left unlogged since its last logged one. */
  suppressed?: number;
  /** An unexpected error: logged here, once, and never sent to the client. */
  err?: unknown;
}

/** Writes the line: info for success, warn for refusals, error for server faults. */
export function logRequest(logger: Logger, rec: RequestRecord, durationMs: number): void {
  const { err, ...fields } = rec;
  const line = { ...fields, durationMs: Math.round(durationMs * 10) / 10, ...(err === undefined ? {} : { err }) };
  const status = rec.status ?? 0;
  if (status >= 500 || err !== undefined) logger.error(line, 'api request');
  else if (status >= 400 || status === 0) logger.warn(line, 'api request');
  else logger.info(line, 'api request');
}
