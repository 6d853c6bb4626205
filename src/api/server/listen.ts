/**
 * Puts the app on a socket: plain HTTP (`tls = "none"`, normally behind a TLS proxy), HTTPS from
 * certificate files (`tls = "cert"`, reloaded when they change), or HTTPS with the server's own
 * certificate (ACME modes: bound at once, handshakes fail until setCertificate brings the first).
 * Timeouts as acme-dns v2's TLS modes; stop() lets in-flight requests finish.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import type { ApiConfig } from '../../config/types';
import type { Logger } from '../../log';
import { parseTrustedProxies } from '../http/client-ip';
import { capConnectionsPerAddress } from './connection-cap';
import { MIN_TLS_VERSION, readPemPair, watchPemFiles, type PemPair } from './tls-files';

/** A listening API server. */
export interface ApiServer {
  /** Base URL with the bound port, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly address: AddressInfo;
  /** `tls = "cert"`: re-reads the PEM files now (also on SIGHUP); rejects if they are unusable. */
  reloadCertificate(): Promise<void>;
  /**
   * Serves this key and chain from now on (ACME modes; the manager calls it): new handshakes get
   * it, connections already open keep theirs. Throws for plain HTTP or an unusable pair.
   */
  setCertificate(pair: { readonly key: string; readonly cert: string }): void;
  /** Stops accepting, finishes in-flight requests, closes every connection. */
  stop(): Promise<void>;
}

/** Optional hooks of the API server. */
export interface ApiServerOptions {
  /** Called with the PEM certificate chain served now: at start and after every reload that changed it. */
  readonly onCertificate?: (chainPem: Buffer) => void;
}

/** Quiet time after the last file event before the certificate is re-read. */
const WATCH_DEBOUNCE_MS = 250;

/**
 * How often Node looks for requests past headersTimeout/requestTimeout, so a request that takes
 * longer than 5 s to arrive is answered 408 and closed within 5-10 s (Node's default looks every
 * 30 s). It was 1 s; but each look wakes the process, and with `general.workers = 1` that process
 * answers DNS: on the bench's machine a wake-up costs 0.2-0.35 ms of the core even for an empty
 * timer, about one delayed query a second at 2,000 q/s, the p99.9 rank of the bench's tail
 * rounds (issue 12).
 */
const CONNECTIONS_CHECK_MS = 5_000;

/** Go's ReadTimeout 5 s / IdleTimeout 120 s (acme-dns v2 pkg/api/api.go, TLS modes). */
function applyTimeouts(server: http.Server): void {
  server.headersTimeout = 5_000;
  server.requestTimeout = 5_000;
  server.keepAliveTimeout = 120_000;
}

/** A bind failure in words an operator can act on. */
export function bindError(err: NodeJS.ErrnoException, where: string): Error {
  if (err.code === 'EACCES') {
    return new Error(
      `cannot listen on ${where}: permission denied; ports below 1024 need root or the ` +
        'CAP_NET_BIND_SERVICE capability (systemd: AmbientCapabilities=CAP_NET_BIND_SERVICE)',
    );
  }
  if (err.code === 'EADDRINUSE') return new Error(`cannot listen on ${where}: address already in use (is another server running?)`);
  if (err.code === 'EADDRNOTAVAIL') return new Error(`cannot listen on ${where}: no such local address`);
  return new Error(`cannot listen on ${where}: ${err.message}`);
}

function listen(server: http.Server, ip: string, port: number): Promise<AddressInfo> {
  const where = `${ip.includes(':') ? `[${ip}]` : ip || '*'}:${port}`;
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => reject(bindError(err, where));
    server.once('error', onError);
    server.listen({ host: ip === '' ? undefined : ip, port }, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function baseUrl(scheme: string, address: AddressInfo): string {
  const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** Starts the server; in ACME modes it listens before any certificate exists. */
export async function startApiServer(
  app: express.Express,
  config: ApiConfig,
  logger: Logger,
  hooks: ApiServerOptions = {},
): Promise<ApiServer> {
  const ownCertificate = config.tls !== 'none' && config.tls !== 'cert';
  let pair: PemPair | undefined;
  if (config.tls === 'cert') pair = await readPemPair(config.tlsCertFullchain, config.tlsCertPrivkey);
  if (pair !== undefined) hooks.onCertificate?.(pair.cert);
  const options = { connectionsCheckingInterval: CONNECTIONS_CHECK_MS };
  const server: http.Server =
    pair !== undefined
      ? https.createServer({ ...options, cert: pair.cert, key: pair.key, minVersion: MIN_TLS_VERSION }, app)
      : ownCertificate
        ? // No certificate yet: the port is bound (its URL known) and every handshake fails until one comes.
          https.createServer({ ...options, minVersion: MIN_TLS_VERSION }, app)
        : http.createServer(options, app);
  applyTimeouts(server);
  if (config.maxConnectionsPerAddress > 0) capConnectionsPerAddress(server, {
    max: config.maxConnectionsPerAddress,
    // Behind a proxy whose header we believe, its connections carry many clients; without
    // use_header the peer is the client for every limit, so it is capped like any other.
    exempt: config.useHeader ? parseTrustedProxies(config.trustedProxies) : [],
    onRefused: (address) => logger.debug({ client: address }, 'API connection refused: too many open from this address'),
  });

  // Requests that arrive while stopping are answered with `Connection: close`.
  let stopping = false;
  const active = new Set<http.ServerResponse>();
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (stopping) res.setHeader('Connection', 'close');
    active.add(res);
    res.once('close', () => active.delete(res));
  });
  let serving = !ownCertificate;
  server.on('tlsClientError', (err: Error) =>
    logger.debug({ err, ...(serving ? {} : { reason: 'no certificate yet' }) }, 'TLS handshake failed'),
  );

  const address = await listen(server, config.ip, config.port);
  const url = baseUrl(server instanceof https.Server ? 'https' : 'http', address);
  logger.info({ url, tls: config.tls, ...(serving ? {} : { waiting: 'HTTPS serves once the certificate arrives' }) }, 'API listening');

  const setCertificate = (next: { readonly key: string; readonly cert: string }): void => {
    if (!(server instanceof https.Server)) throw new Error('the API serves plain HTTP: it has no certificate to set');
    server.setSecureContext({ cert: next.cert, key: next.key, minVersion: MIN_TLS_VERSION });
    hooks.onCertificate?.(Buffer.from(next.cert));
    if (!serving) logger.info({ url }, 'API certificate installed: HTTPS serving');
    else logger.info({ url }, 'API certificate replaced: new connections get it, open ones keep theirs');
    serving = true;
  };

  let reloading: Promise<void> = Promise.resolve();
  const reload = (): Promise<void> => {
    const next = reloading.then(async () => {
      if (!(server instanceof https.Server) || pair === undefined) return;
      const fresh = await readPemPair(config.tlsCertFullchain, config.tlsCertPrivkey);
      if (fresh.cert.equals(pair.cert) && fresh.key.equals(pair.key)) return;
      server.setSecureContext({ cert: fresh.cert, key: fresh.key, minVersion: MIN_TLS_VERSION });
      pair = fresh;
      hooks.onCertificate?.(fresh.cert);
      logger.info({ cert: config.tlsCertFullchain }, 'API certificate reloaded');
    });
    reloading = next.catch(() => undefined);
    return next;
  };
  const unwatch =
    pair === undefined
      ? () => undefined
      : watchPemFiles(
          [config.tlsCertFullchain, config.tlsCertPrivkey],
          WATCH_DEBOUNCE_MS,
          () => {
            reload().catch((err: unknown) =>
              logger.warn({ err }, 'certificate files changed but are not a usable pair yet; the old certificate stays'),
            );
          },
          (err) => logger.warn({ err }, 'cannot watch the certificate files; reload with SIGHUP'),
        );

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= new Promise<void>((resolve, reject) => {
      stopping = true;
      unwatch();
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.close((err) => {
        clearInterval(sweep);
        if (err) reject(err);
        else resolve();
      });
      for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close');
      server.closeIdleConnections();
    });
    return stopped;
  };

  return { url, address, reloadCertificate: reload, setCertificate, stop };
}
