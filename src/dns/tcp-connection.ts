/**
 * One DNS-over-TCP connection (RFC 7766): 2-byte length-prefixed messages (RFC 1035 §4.2.2),
 * pipelined queries answered as each is ready, in any order (§6.2.1.1), closed when idle (§6.2.3).
 */
import type { Socket } from 'node:net';
import type { Logger } from '../log';
import type { DnsHandler } from './handler';

/** Limits for one connection. */
export interface ConnectionOptions {
  readonly idleTimeoutMs: number;
  /** Queries in progress at once; past it we stop reading until answers go out. */
  readonly maxPending: number;
}

/**
 * Serves queries on `socket` until the peer closes, sends a zero-length message or something we
 * cannot answer (then: finish the answers in progress, then close), or stays idle too long.
 * `track` sees every answer in progress, so the server can wait for them when it stops.
 */
export function serveConnection(
  socket: Socket,
  handler: DnsHandler,
  opts: ConnectionOptions,
  logger: Logger,
  track: (work: Promise<void>) => void,
): void {
  // Received bytes not yet framed. Chunks are joined only once a whole frame (or its length
  // prefix) is there, so a message trickling in byte by byte costs one copy, not one per byte.
  let chunks: Buffer[] = [];
  let total = 0;
  let need = 2;
  let pending = 0;
  let closing = false;

  const finishIfDone = (): void => {
    if (closing && pending === 0 && !socket.destroyed) socket.end();
  };
  const close = (why: string): void => {
    if (!closing) logger.debug({ why, peer: socket.remoteAddress }, 'closing DNS TCP connection');
    closing = true;
    chunks = [];
    total = 0;
    socket.pause();
    finishIfDone();
  };
  // Back-pressure: a client that pipelines without reading does not make us queue without end.
  const updateFlow = (): void => {
    if (closing || socket.destroyed) return;
    if (pending >= opts.maxPending || socket.writableNeedDrain) socket.pause();
    else socket.resume();
  };

  const dispatch = (msg: Buffer): void => {
    pending++;
    const work = handler(msg, 'tcp')
      .then((reply) => {
        // A message we drop (no header, or a response) cannot be answered on a stream: close.
        if (!reply) return close('undecodable message');
        if (socket.destroyed || !socket.writable) return;
        const frame = Buffer.allocUnsafe(2 + reply.length);
        frame.writeUInt16BE(reply.length, 0);
        reply.copy(frame, 2);
        socket.write(frame);
      })
      .catch((err: unknown) => logger.error({ err }, 'TCP reply failed'))
      .finally(() => {
        pending--;
        // Frames held back by the cap on queries in progress.
        if (!closing && total >= need) readFrames();
        updateFlow();
        finishIfDone();
      });
    track(work);
    updateFlow();
  };

  const readFrames = (): void => {
    let buf = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
    need = 2;
    while (!closing && buf.length >= 2 && pending < opts.maxPending) {
      const len = buf.readUInt16BE(0);
      // A zero-length message is a framing error (no DNS message is empty): close.
      if (len === 0) return close('zero-length message');
      // A prefix larger than what arrives just waits: the idle timeout ends it.
      if (buf.length < 2 + len) {
        need = 2 + len;
        break;
      }
      // Copy so one small message does not keep a large read buffer alive.
      dispatch(Buffer.from(buf.subarray(2, 2 + len)));
      buf = buf.subarray(2 + len);
    }
    if (closing) return;
    chunks = buf.length ? [buf] : [];
    total = buf.length;
  };

  socket.setNoDelay(true);
  socket.setTimeout(opts.idleTimeoutMs);
  socket.on('timeout', () => {
    // Idle means no query in progress either (RFC 7766 §6.2.3); otherwise wait another period.
    if (pending > 0) socket.setTimeout(opts.idleTimeoutMs);
    else socket.destroy();
  });
  socket.on('data', (chunk: Buffer) => {
    if (closing) return;
    chunks.push(chunk);
    total += chunk.length;
    if (total >= need) readFrames();
  });
  // Half-close: the peer has sent all its queries; answer them, then close our side.
  socket.on('end', () => close('peer finished sending'));
  socket.on('drain', updateFlow);
  // Resets, EPIPE and friends: log quietly, never throw.
  socket.on('error', (err) => {
    logger.debug({ err, peer: socket.remoteAddress }, 'DNS TCP connection error');
    socket.destroy();
  });
}
