/**
 * The TCP transport: a listening socket whose slots are shared out per source (tcp-slots.ts);
 * each connection in tcp-connection.ts.
 */
import net from 'node:net';
import type { Socket } from 'node:net';
import type { Logger } from '../log';
import type { DnsHandler } from './handler';
import { serveConnection } from './tcp-connection';
import { createTcpSlots, sourceKey, type Slot } from './tcp-slots';
import type { Listener, SocketOptions } from './udp';

/** Where to bind and the connection limits. */
export interface TcpOptions extends SocketOptions {
  readonly idleTimeoutMs: number;
  /** A message must be whole this long after its first byte. */
  readonly messageTimeoutMs: number;
  /** A connection stops reading this long after it opened. */
  readonly maxLifetimeMs: number;
  readonly maxConnections: number;
  /** Connections at most from one IPv4 address or one IPv6 /64. */
  readonly maxConnectionsPerSource: number;
}

/** Queries one connection may have in progress before we stop reading from it. */
const MAX_PENDING_PER_CONNECTION = 64;
/** How long stop() lets a closing connection flush before cutting it. */
const CLOSE_GRACE_MS = 1000;

/** Binds a TCP listener and serves DNS on every connection. Rejects with the bind error. */
export function listenTcp(opts: TcpOptions, handler: DnsHandler, logger: Logger): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const sockets = new Set<Socket>();
    const slots = createTcpSlots<Slot>({ maxConnections: opts.maxConnections, maxPerSource: opts.maxConnectionsPerSource });
    const inflight = new Set<Promise<void>>();
    let closing = false;
    // allowHalfOpen: after the peer's FIN we still write the answers it is owed (RFC 7766 §6.2.4).
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: false });

    server.on('connection', (socket) => {
      const source = sourceKey(socket.remoteAddress);
      if (closing || !slots.admit(source)) {
        // Over a cap: closed at once, so a refused client holds nothing while it waits.
        logger.debug({ peer: socket.remoteAddress }, 'DNS TCP connection refused: limit reached');
        socket.on('error', () => undefined);
        socket.destroy();
        return;
      }
      const conn = serveConnection(
        socket,
        handler,
        {
          idleTimeoutMs: opts.idleTimeoutMs,
          messageTimeoutMs: opts.messageTimeoutMs,
          maxLifetimeMs: opts.maxLifetimeMs,
          maxPending: MAX_PENDING_PER_CONNECTION,
        },
        logger,
        (work) => {
          inflight.add(work);
          void work.finally(() => inflight.delete(work));
        },
      );
      sockets.add(socket);
      slots.add(source, conn);
      socket.on('close', () => {
        sockets.delete(socket);
        slots.release(source, conn);
      });
    });

    const onBindError = (err: Error): void => reject(err);
    server.once('error', onBindError);
    server.listen({ host: opts.host, port: opts.port, ipv6Only: opts.ipv6Only, exclusive: opts.exclusive ?? true }, () => {
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
