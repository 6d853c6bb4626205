/**
 * One DNS-over-TCP connection (RFC 7766): 2-byte length-prefixed messages (RFC 1035 §4.2.2),
 * pipelined queries answered as each is ready, in any order (§6.2.1.1), and the server-side
 * limits §6.2.3 leaves to us: an idle timeout, a deadline for each message once its first byte
 * arrived (so trickling a byte at a time cannot hold the connection), and a maximum lifetime.
 */
import type { Socket } from 'node:net';
import type { Logger } from '../log';
import type { DnsHandler } from './handler';
import type { Slot } from './tcp-slots';

/** Limits for one connection. */
export interface ConnectionOptions {
  readonly idleTimeoutMs: number;
  /** A message must be whole this long after its first byte arrived. */
  readonly messageTimeoutMs: number;
  /** The connection stops reading this long after it opened; answers in progress still go out. */
  readonly maxLifetimeMs: number;
  /** Queries in progress at once; past it we stop reading until answers go out. */
  readonly maxPending: number;
}

/** A message with its 2-byte length prefix (RFC 1035 §4.2.2). */
function framed(message: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(2 + message.length);
  frame.writeUInt16BE(message.length, 0);
  message.copy(frame, 2);
  return frame;
}

/** How long a connection we closed may take to flush its answers and see the peer's FIN. */
const CLOSE_GRACE_MS = 1000;

/**
 * Serves queries on `socket` until the peer closes, sends a zero-length message or something we
 * cannot answer, misses a deadline, or is shed (then: finish the answers in progress, then close),
 * or stays idle too long. `track` sees every answer in progress, so the server can wait for them.
 */
export function serveConnection(
  socket: Socket,
  handler: DnsHandler,
  opts: ConnectionOptions,
  logger: Logger,
  track: (work: Promise<void>) => void,
): Slot {
  // Received bytes not yet framed. Chunks are joined only once a whole frame (or its length
  // prefix) is there, so a message trickling in byte by byte costs one copy, not one per byte.
  let chunks: Buffer[] = [];
  let total = 0;
  let need = 2;
  let pending = 0;
  let closing = false;
  let ended = false;
  let messageTimer: NodeJS.Timeout | undefined;

  const stopMessageTimer = (): void => {
    clearTimeout(messageTimer);
    messageTimer = undefined;
  };
  const startMessageTimer = (): void => {
    stopMessageTimer();
    messageTimer = setTimeout(() => close('message not complete in time'), opts.messageTimeoutMs);
  };
  const finishIfDone = (): void => {
    if (!closing || pending > 0 || ended || socket.destroyed) return;
    ended = true;
    // Our FIN after the last answer; a peer that never sends its own is cut after the grace.
    socket.end(() => setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref());
    // Read (and drop) what still comes, so the peer's FIN is seen and the socket closes at once.
    socket.resume();
  };
  const close = (why: string): void => {
    if (!closing) logger.debug({ why, peer: socket.remoteAddress }, 'closing DNS TCP connection');
    closing = true;
    chunks = [];
    total = 0;
    stopMessageTimer();
    socket.pause();
    finishIfDone();
  };
  // Back-pressure: a client that pipelines without reading does not make us queue without end.
  const updateFlow = (): void => {
    if (closing || socket.destroyed) return;
    if (pending >= opts.maxPending || socket.writableNeedDrain) socket.pause();
    else socket.resume();
  };

  // A zone transfer's messages (RFC 5936 §2.2) are written one after the other as the peer reads
  // them: the answer stays in progress meanwhile, so neither the lifetime nor the per-message
  // deadline (which bound what the peer sends, not what we send) cut a large transfer. Each
  // write refreshes the idle timer; a peer that stops reading for a whole idle period is cut.
  let stalledWrites = 0;
  const writeInOrder = async (messages: readonly Buffer[]): Promise<void> => {
    for (const message of messages) {
      if (socket.destroyed || !socket.writable) return;
      if (socket.write(framed(message))) continue;
      stalledWrites++;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        socket.on('drain', done);
        socket.on('close', done);
      });
      stalledWrites--;
    }
  };

  const dispatch = (msg: Buffer): void => {
    pending++;
    const work = handler(msg, 'tcp', socket.remoteAddress ?? '')
      .then((reply) => {
        // A message we drop (no header, or a response) cannot be answered on a stream: close.
        if (!reply) return close('undecodable message');
        if (socket.destroyed || !socket.writable) return;
        if (Buffer.isBuffer(reply)) {
          socket.write(framed(reply));
          return;
        }
        return writeInOrder(reply);
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
    let started = false;
    while (!closing && buf.length >= 2 && pending < opts.maxPending) {
      const len = buf.readUInt16BE(0);
      // A zero-length message is a framing error (no DNS message is empty): close.
      if (len === 0) return close('zero-length message');
      if (buf.length < 2 + len) {
        need = 2 + len;
        break;
      }
      // Copy so one small message does not keep a large read buffer alive.
      dispatch(Buffer.from(buf.subarray(2, 2 + len)));
      buf = buf.subarray(2 + len);
      started = true;
    }
    if (closing) return;
    chunks = buf.length ? [buf] : [];
    total = buf.length;
    // The deadline runs while part of a message is here; a new message (the rest of this chunk
    // after a whole one) gets a fresh one. Frames held back by maxPending wait on us, not the peer.
    const partial = total > 0 && total < need;
    if (!partial) stopMessageTimer();
    else if (started || messageTimer === undefined) startMessageTimer();
  };

  // A lifetime bounds what a peer sending one whole message per idle period could otherwise hold.
  const lifetime = setTimeout(() => close('maximum lifetime reached'), opts.maxLifetimeMs);
  socket.on('close', () => {
    clearTimeout(lifetime);
    stopMessageTimer();
  });
  socket.setNoDelay(true);
  socket.setTimeout(opts.idleTimeoutMs);
  socket.on('timeout', () => {
    // Idle means no query in progress either (RFC 7766 §6.2.3); otherwise wait another period.
    // A peer that stops reading our answers is idle too: it gets cut here, also in the middle of
    // a zone transfer waiting for it to read.
    if (pending > 0 && stalledWrites === 0) socket.setTimeout(opts.idleTimeoutMs);
    else socket.destroy();
  });
  socket.on('data', (chunk: Buffer) => {
    if (closing) return;
    chunks.push(chunk);
    total += chunk.length;
    if (total >= need) readFrames();
    else if (messageTimer === undefined) startMessageTimer();
  });
  // Half-close: the peer has sent all its queries; answer them, then close our side.
  socket.on('end', () => close('peer finished sending'));
  socket.on('drain', updateFlow);
  // Resets, EPIPE and friends: log quietly, never throw.
  socket.on('error', (err) => {
    logger.debug({ err, peer: socket.remoteAddress }, 'DNS TCP connection error');
    socket.destroy();
  });
  return { idle: () => pending === 0, shed: () => close('shed to make room for another source') };
}
