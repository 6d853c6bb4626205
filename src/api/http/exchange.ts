/**
 * One request from arrival to its log line: who sent it, the record the log line and the metrics
 * are made of, and the single writer of the response. Each request gets exactly one reply (or
 * none, when the client went away) and exactly one log line, whatever path it took through the app.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log';
import { resolveClient, type ClientAddress, type ClientIpPolicy } from './client-ip';
import { clientKey } from '../../accounts';
import type { RefusalLog } from '../telemetry/refusal-log';
import type { Reply } from './reply';
import { logRequest, type RequestRecord } from '../telemetry/request-log';

/** What every exchange of one app shares; built once. */
export interface ExchangeSetup {
  readonly logger: Logger;
  readonly policy: ClientIpPolicy;
  /** The Strict-Transport-Security value, on every reply; undefined: none. */
  readonly hsts: string | undefined;
  /** Counts a finished or abandoned request (telemetry/request-metrics.ts). */
  readonly observe: (rec: RequestRecord) => void;
  /** Thins the log lines of 429s (refusal-log.ts). */
  readonly refusals: RefusalLog;
}

/** One request in flight. */
export interface Exchange {
  readonly client: ClientAddress;
  /** Filled in as the request is handled: route, outcome, reason; status when sent. */
  readonly rec: RequestRecord;
  /** The CORS headers every reply to this request carries (cors.ts). */
  corsHeaders: Readonly<Record<string, string>>;
  /** The first value of a request header (case-insensitive name), as Go's Header.Get. */
  header(name: string): string | undefined;
  /** Writes the reply: status, CORS, the reply's headers, HSTS, `Connection: close` when due, body. */
  send(reply: Reply): void;
}

/** The exchanges of one app, by request. */
export interface Exchanges {
  /** Starts the exchange of a request whose path (as sent) is `rawPath`; logs it when the response closes. */
  open(req: IncomingMessage, res: ServerResponse, rawPath: string): Exchange;
  /** The exchange the app's first middleware opened for this request. */
  of(req: IncomingMessage): Exchange;
}

/** An app's exchanges; each is forgotten with its request. */
export function createExchanges(setup: ExchangeSetup): Exchanges {
  const open = new WeakMap<IncomingMessage, Exchange>();
  return {
    open(req, res, rawPath) {
      const exchange = openExchange(req, res, rawPath, setup);
      open.set(req, exchange);
      return exchange;
    },
    of(req) {
      const exchange = open.get(req);
      if (exchange === undefined) throw new Error('request without an exchange: the first middleware did not run');
      return exchange;
    },
  };
}

function openExchange(req: IncomingMessage, res: ServerResponse, rawPath: string, setup: ExchangeSetup): Exchange {
  const started = performance.now();
  const { observe, hsts } = setup;
  const client = resolveClient(req.socket.remoteAddress, req.headersDistinct[setup.policy.headerName], setup.policy);
  const rec: RequestRecord = { client: client.text, peer: req.socket.remoteAddress ?? '', method: req.method ?? '', path: rawPath };
  res.once('close', () => {
    // Closed before we answered: the client went away (it may still be mid-body).
    if (rec.status === undefined) {
      rec.outcome = 'aborted';
      observe(rec);
    }
    if (rec.status === 429) {
      const suppressed = setup.refusals.admit(clientKey(client));
      if (suppressed === undefined) return;
      if (suppressed > 0) rec.suppressed = suppressed;
    }
    logRequest(setup.logger, rec, performance.now() - started);
  });
  const exchange: Exchange = {
    client,
    rec,
    corsHeaders: {},
    header: (name) => req.headersDistinct[name.toLowerCase()]?.[0],
    send(reply) {
      rec.status = reply.status;
      observe(rec);
      res.statusCode = reply.status;
      for (const [k, v] of Object.entries({ ...exchange.corsHeaders, ...reply.headers })) res.setHeader(k, v);
      // Both may say what the answer varies by (CORS: Origin; the page: Accept-Encoding): caches need every one.
      const vary = [exchange.corsHeaders.Vary, reply.headers.Vary].filter((v): v is string => v !== undefined);
      if (vary.length > 1) res.setHeader('Vary', vary.join(', '));
      if (hsts !== undefined) res.setHeader('Strict-Transport-Security', hsts);
      // A body we did not read to the end must not be parsed as the next request.
      const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
      if (reply.status === 413 || (hasBody && !req.complete)) res.setHeader('Connection', 'close');
      res.end(reply.body);
    },
  };
  return exchange;
}
