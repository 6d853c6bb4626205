/**
 * The DNS test client: queries over UDP and TCP to any server (ours in-process, the daemon, knot,
 * unbound), raw frames and floods. Against our server it tells "no reply" apart without waiting
 * on a clock: UDP by a ping sent after the message, TCP by the server closing the connection.
 * Building and parsing messages is dns-message.ts, re-exported here so a test imports one module.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { buildQuery, parseReply, type QuerySpec, type Reply } from './dns-message';

export * from './dns-message';

/** Where to send a query (an AddressInfo will do). */
export interface Target {
  readonly address: string;
  readonly port: number;
}

const PING = buildQuery({ id: 0xfeed, name: 'ping.example.com', type: 1 });

/**
 * Sends `messages` then a ping (outside the zone, so no lookup) from one socket and returns the
 * replies that came before the ping's. The server handles datagrams in order and a message that
 * needs no lookup is answered before the next is read, so "nothing before the ping" means dropped.
 */
export function udpExchange(target: Target, ...messages: Buffer[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(target.address) ? 'udp6' : 'udp4');
    const replies: Buffer[] = [];
    socket.on('error', reject);
    socket.on('message', (msg) => {
      if (msg.length >= 2 && msg.readUInt16BE(0) === 0xfeed) {
        socket.close();
        resolve(replies);
      } else replies.push(msg);
    });
    for (const m of [...messages, PING]) socket.send(m, target.port, target.address);
  });
}

/** Sends raw bytes over UDP; resolves with the first reply, or undefined after `timeoutMs` of silence. */
export function sendUdp(target: Target, message: Buffer, timeoutMs = 2000): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(target.address) ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, timeoutMs);
    socket.once('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
    socket.send(message, target.port, target.address);
  });
}

/** One UDP query, one reply (any server: no ping); throws when nothing comes back. */
export async function udpQuery(target: Target, spec: QuerySpec): Promise<Reply> {
  const raw = await sendUdp(target, buildQuery(spec));
  if (!raw) throw new Error(`no UDP reply for ${spec.name} ${String(spec.type ?? 'TXT')}`);
  return parseReply(raw);
}

/** Length-prefixes a message (RFC 1035 §4.2.2). */
export function frame(msg: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length, 0);
  return Buffer.concat([len, msg]);
}

/** A TCP connection that collects length-prefixed replies and notes when the server closes. */
export class TcpClient {
  readonly replies: Buffer[] = [];
  closed = false;
  private buffered = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  readonly socket: net.Socket;

  /** `localAddress` picks the source address (any of 127.0.0.0/8 on loopback), for per-source limits. */
  constructor(target: Target, localAddress?: string) {
    this.socket = net.connect({
      host: target.address,
      port: target.port,
      allowHalfOpen: true,
      noDelay: true,
      ...(localAddress === undefined ? {} : { localAddress }),
    });
    this.socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 2 && this.buffered.length >= 2 + this.buffered.readUInt16BE(0)) {
        this.replies.push(this.buffered.subarray(2, 2 + this.buffered.readUInt16BE(0)));
        this.buffered = this.buffered.subarray(2 + this.buffered.readUInt16BE(0));
      }
      this.wake();
    });
    this.socket.on('error', () => undefined);
    this.socket.on('end', () => {
      // The server is done with us: release the socket (we never write after that).
      this.markClosed();
      this.socket.destroy();
    });
    this.socket.on('close', () => this.markClosed());
  }

  /** Resolves when connected. */
  connected(): Promise<void> {
    return new Promise((resolve) => (this.socket.connecting ? this.socket.once('connect', () => resolve()) : resolve()));
  }

  /** Writes raw bytes. */
  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Waits until `n` replies arrived or the server closed. */
  async waitFor(n: number): Promise<Buffer[]> {
    while (this.replies.length < n && !this.closed) await new Promise<void>((r) => this.waiters.push(r));
    return this.replies;
  }

  /** Waits until the server closed the connection. */
  async waitClosed(): Promise<void> {
    while (!this.closed) await new Promise<void>((r) => this.waiters.push(r));
  }

  /** Closes our side for good. */
  destroy(): void {
    this.socket.destroy();
  }

  private markClosed(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** One TCP query on a new connection (from `localAddress`, if given), one reply. */
export async function tcpQuery(target: Target, spec: QuerySpec, localAddress?: string): Promise<Reply> {
  const client = new TcpClient(target, localAddress);
  client.write(frame(buildQuery(spec)));
  const [reply] = await client.waitFor(1);
  client.destroy();
  if (!reply) throw new Error('no TCP reply');
  return parseReply(reply);
}

/** How far the server got: messages it handled and replies it sent, counted since the flood began. */
export type FloodProgress = () => { readonly handled: number; readonly sent: number };

/**
 * Sends `messages` over UDP from `localAddress` (any 127/8 address on Linux) in batches, each batch
 * once the server handled the one before, so none is lost to a full socket buffer and every
 * count is exact; resolves with every reply once as many arrived as the server sent.
 */
export async function udpFlood(target: Target, localAddress: string, messages: readonly Buffer[], progress: FloodProgress, batch = 50): Promise<Buffer[]> {
  const socket = dgram.createSocket('udp4');
  const replies: Buffer[] = [];
  socket.on('message', (msg) => replies.push(msg));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: localAddress, port: 0 }, resolve);
  });
  const deadline = Date.now() + 30_000;
  const until = async (done: () => boolean, what: string): Promise<void> => {
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`udpFlood: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  try {
    for (let at = 0; at < messages.length; at += batch) {
      for (const m of messages.slice(at, at + batch)) socket.send(m, target.port, target.address);
      const sentSoFar = Math.min(at + batch, messages.length);
      await until(() => progress().handled >= sentSoFar, `the server to handle ${sentSoFar} messages`);
    }
    await until(() => replies.length >= progress().sent, `${progress().sent} replies`);
    return replies;
  } finally {
    socket.close();
  }
}
