/** The UDP transport: one datagram in, at most one datagram out. */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIP, type AddressInfo } from 'node:net';
import type { Logger } from '../log';
import { NEEDS_ASYNC, type DnsHandler } from './handler';
import type { UdpReplyLimit } from './rrl';
import { createUdpBatch } from './udp-batch';

/** How long close() waits at most for queued replies to reach the kernel. */
const SEND_DRAIN_MS = 1000;

/** The IP literal literalLookup last passed, and its family: a resolver's queries come from few addresses. */
let lastLiteral = { address: '', family: 0 };

/**
 * The socket's name lookup (dgram's `lookup` option), which every send passes the peer's address
 * through. The default, dns.lookup, answers even an IP literal in a later tick (process.nextTick),
 * so every reply went through the tick queue, a regular expression and dgram's deferred send. A
 * peer's address is always an IP literal, so it is handed back at once and the reply is sent
 * within the send() call: replayed SOA answers went from 160-166k to 179-182k q/s on one core
 * (servers of both builds in the same interleaved rounds). Anything else (the bind address, if
 * ever a name) goes to dns.lookup.
 */
export function literalLookup(hostname: string, family: unknown, callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void {
  if (hostname === lastLiteral.address) return callback(null, hostname, lastLiteral.family);
  const ip = isIP(hostname);
  if (ip === 0) return dns.lookup(hostname, typeof family === 'number' ? family : 0, callback);
  lastLiteral = { address: hostname, family: ip };
  callback(null, hostname, ip);
}

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
    const socket = dgram.createSocket({ type: opts.family === 4 ? 'udp4' : 'udp6', ipv6Only: opts.ipv6Only, lookup: literalLookup });
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

    /**
     * Passes `built` through the rate limit and sends it; never throws. No completion callback:
     * with one, Node calls back into JavaScript for every datagram, a fifth of a cached answer's
     * cost (a bare echo: 52k q/s without, 34-42k with); a UDP send that fails is a lost datagram
     * either way, which the asker retries. close() waits for the send queue instead.
     */
    const reply = (built: Buffer | null, peer: dgram.RemoteInfo): void => {
      try {
        const out = built && limit ? limit(built, peer.address) : built;
        // Port 0 cannot be answered (only a forged source has it); Node would throw.
        if (!out || released || peer.port === 0) return;
        socket.send(out, peer.port, peer.address);
      } catch (err) {
        logger.error({ err }, 'UDP reply failed');
      }
    };

    const onError = (err: unknown): void => logger.error({ err }, 'UDP reply failed');

    /** Answers one datagram: in this turn when the handler can (the SQLite store), with no promise per query. */
    const answer = (msg: Buffer, peer: dgram.RemoteInfo): void => {
      const now = handler.udpNow?.(msg) ?? NEEDS_ASYNC;
      if (now !== NEEDS_ASYNC) return reply(now, peer);
      const done = handler(msg, 'udp', peer.address)
        .then((built) => reply(built, peer))
        .catch(onError)
        .finally(() => inflight.delete(done));
      inflight.add(done);
    };
    /** A batch on the promise path (DnsHandler.udpMany): one store read for its repeated questions. */
    const answerMany = (msgs: readonly Buffer[], peers: readonly dgram.RemoteInfo[]): void => {
      const many = handler.udpMany as NonNullable<DnsHandler['udpMany']>;
      const done = many(
        msgs,
        peers.map((peer) => peer.address),
        (i, built) => reply(built, peers[i] as dgram.RemoteInfo),
      )
        .catch(onError)
        .finally(() => inflight.delete(done));
      inflight.add(done);
    };
    // Handlers that answer in the turn, or read the store once for a batch, gain from batches;
    // any other gets each datagram as it comes.
    const batch =
      handler.udpNow !== undefined
        ? createUdpBatch({ answer, prepare: handler.udpPrepare, onError })
        : handler.udpMany !== undefined
          ? createUdpBatch({ answerMany, onError })
          : undefined;

    socket.on('message', (msg, peer) => {
      if (closing) return;
      if (batch === undefined) answer(msg, peer);
      else batch.add(msg, peer);
    });

    socket.bind({ address: opts.host, port: opts.port, exclusive: opts.exclusive ?? true }, () => {
      socket.off('error', onBindError);
      // After binding, errors (e.g. ICMP-triggered) must not crash the process.
      socket.on('error', (err) => logger.warn({ err }, 'UDP socket error'));
      resolve({
        address: socket.address(),
        async close() {
          closing = true;
          // Datagrams already received are answered (those that need a promise join `inflight`).
          batch?.flush();
          await Promise.allSettled([...inflight]);
          // A send whose address is not a literal resolves it in a later tick before it reaches
          // libuv: one turn lets every reply get there. Replies libuv still queues (the kernel's
          // buffer was full) would then be cancelled by close.
          await new Promise((done) => setImmediate(done));
          for (let waited = 0; socket.getSendQueueCount() > 0 && waited < SEND_DRAIN_MS; waited += 5) {
            await new Promise((done) => setTimeout(done, 5));
          }
          released = true;
          await new Promise<void>((done) => socket.close(() => done()));
        },
      });
    });
  });
}
