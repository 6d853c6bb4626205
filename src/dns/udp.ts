/** The UDP transport: one datagram in, at most one datagram out. */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log';
import type { DnsHandler } from './handler';
import type { UdpReplyLimit } from './rrl';

/** A bound listener of either transport. */
export interface Listener {
  readonly address: AddressInfo;
  /** Stops taking queries, waits for the ones in flight, then releases the socket. */
  close(): Promise<void>;
}

/** Where to bind. */
export interface SocketOptions {
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6;
  readonly ipv6Only: boolean;
  /**
   * false in a cluster worker: the primary holds the socket and shares it among the workers
   * (UDP: one socket every worker reads; TCP: connections handed out in turn). Default true.
   */
  readonly exclusive?: boolean;
}

/**
 * Binds a UDP socket and answers every datagram through `handler`, each reply passing `limit`
 * (response rate limiting) when given. Rejects with the bind error.
 */
export function listenUdp(opts: SocketOptions, handler: DnsHandler, logger: Logger, limit?: UdpReplyLimit): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type: opts.family === 4 ? 'udp4' : 'udp6', ipv6Only: opts.ipv6Only });
    const inflight = new Set<Promise<void>>();
    let closing = false; // no new queries
    let released = false; // socket closed: nothing more can be sent

    const onBindError = (err: Error): void => {
      try {
        socket.close();
      } catch {
        // never bound: nothing to release
      }
      reject(err);
    };
    socket.once('error', onBindError);

    socket.on('message', (msg, peer) => {
      if (closing) return;
      const done = handler(msg, 'udp', peer.address)
        .then((built) => (built && limit ? limit(built, peer.address) : built))
        .then(
          (reply) =>
            // Counted as in flight until the datagram is handed to the kernel: closing the socket
            // earlier would cancel the send.
            new Promise<void>((sent) => {
              // Port 0 cannot be answered (only a forged source has it); Node would throw.
              if (!reply || released || peer.port === 0) return sent();
              socket.send(reply, peer.port, peer.address, (err) => {
                if (err) logger.debug({ err, peer: peer.address }, 'UDP send failed');
                sent();
              });
            }),
        )
        .catch((err: unknown) => logger.error({ err }, 'UDP reply failed'))
        .finally(() => inflight.delete(done));
      inflight.add(done);
    });

    socket.bind({ address: opts.host, port: opts.port, exclusive: opts.exclusive ?? true }, () => {
      socket.off('error', onBindError);
      // After binding, errors (e.g. ICMP-triggered) must not crash the process.
      socket.on('error', (err) => logger.warn({ err }, 'UDP socket error'));
      resolve({
        address: socket.address(),
        async close() {
          closing = true;
          await Promise.allSettled([...inflight]);
          released = true;
          await new Promise<void>((done) => socket.close(() => done()));
        },
      });
    });
  });
}
