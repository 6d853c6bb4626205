/**
 * The metrics on a listener of their own (`[metrics] listen = "127.0.0.1:9153"`): plain HTTP,
 * GET /metrics and nothing else, so the scrape can stay on an internal address while the API
 * faces the Internet. Listen errors read as the API's do.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log';
import type { MetricsExposition } from './types';

/** A running metrics listener. */
export interface MetricsServer {
  /** e.g. `http://127.0.0.1:9153` (the bound port when 0 was asked for). */
  readonly url: string;
  stop(): Promise<void>;
}

/** `host:port`, `[v6]:port` or `:port` (already validated by the config) -> host ('' = all) and port. */
export function splitListen(listen: string): { host: string; port: number } {
  const cut = listen.lastIndexOf(':');
  return { host: listen.slice(0, cut).replace(/^\[|\]$/g, ''), port: Number(listen.slice(cut + 1)) };
}

/**
 * Starts the listener; rejects with the reason when the address cannot be bound. `admits` decides
 * by the socket peer (a scrape comes straight from Prometheus, no proxy header to believe); the
 * others get the 404 of a path that does not exist, so the allow-list holds even when the listener
 * is bound to a public address.
 */
export function startMetricsServer(
  listen: string,
  metrics: MetricsExposition,
  logger: Logger,
  admits: (peer: string | undefined) => boolean,
): Promise<MetricsServer> {
  const { host, port } = splitListen(listen);
  const server = http.createServer((req, res) => {
    const asked = (req.url ?? '/').split('?')[0];
    const path = admits(req.socket.remoteAddress) ? asked : undefined;
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(path === '/metrics' ? 405 : 404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(path === '/metrics' ? 'Method Not Allowed\n' : '404 page not found\n');
      return;
    }
    metrics.render().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': metrics.contentType });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (err: unknown) => {
        logger.error({ err }, 'metrics could not be rendered');
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('internal error\n');
      },
    );
  });
  server.headersTimeout = 5_000;
  server.requestTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'address already in use' : err.code === 'EACCES' ? 'permission denied' : err.message;
      reject(new Error(`cannot listen on ${listen} for metrics (metrics.listen): ${why}`));
    });
    server.listen({ host: host === '' ? undefined : host, port }, () => {
      const address = server.address() as AddressInfo;
      const shown = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
      const url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}`;
      logger.info({ url }, 'metrics listening');
      resolve({
        url,
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
