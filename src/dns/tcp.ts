/** The TCP transport: a listening socket with a connection cap; each connection in tcp-connection.ts. */
import net from 'node:net';
import type { Socket } from 'node:net';
import type { Logger } from '../log';
import type { DnsHandler } from './handler';
import { serveConnection } from './tcp-connection';
import type { Listener, SocketOptions } from './udp';

/** Where to bind and the connection limits. */
export interface TcpOptions extends SocketOptions {
  readonly idleTimeoutMs: number;
  readonly maxConnections: number;
}

/** Queries one connection may have in progress before we stop reading from it. */
const MAX_PENDING_PER_CONNECTION = 64;
/** How long stop() lets a closing connection flush before cutting it. */
const CLOSE_GRACE_MS = 1000;

/** Binds a TCP listener and serves DNS on every connection. Rejects with the bind error. */
export function listenTcp(opts: TcpOptions, handler: DnsHandler, logger: Logger): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const sockets = new Set<Socket>();
    const inflight = new Set<Promise<void>>();
    let closing = false;
    // allowHalfOpen: after the peer's FIN we still write the answers it is owed (RFC 7766 §6.2.4).
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: false });

    server.on('connection', (socket) => {
      if (closing || sockets.size >= opts.maxConnections) {
        // Over the cap: closed at once, so one client cannot hold every slot waiting.
        logger.debug({ peer: socket.remoteAddress }, 'DNS TCP connection refused: limit reached');
        socket.on('error', () => undefined);
        socket.destroy();
        return;
      }
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      serveConnection(
        socket,
        handler,
        { idleTimeoutMs: opts.idleTimeoutMs, maxPending: MAX_PENDING_PER_CONNECTION },
        logger,
        (work) => {
          inflight.add(work);
          void work.finally(() => inflight.delete(work));
        },
      );
    });

    const onBindError = (err: Error): void => reject(err);
    server.once('error', onBindError);
    server.listen({ host: opts.host, port: opts.port, ipv6Only: opts.ipv6Only, exclusive: true }, () => {
      server.off('error', onBindError);
      server.on('error', (err) => logger.warn({ err }, 'DNS TCP server error'));
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('TCP listener has no IP address'));
        return;
      }
      resolve({
        address,
        async close() {
          closing = true;
          const stopped = new Promise<void>((done) => server.close(() => done()));
          await Promise.allSettled([...inflight]);
          for (const socket of sockets) {
            socket.end();
            setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
          }
          await stopped;
        },
      });
    });
  });
}
