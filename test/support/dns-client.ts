import dgram from 'node:dgram';
import net from 'node:net';
import * as packet from 'dns-packet';

/** Where to send a query. */
export interface Target {
  readonly address: string;
  readonly port: number;
}

/** Options of a test query. */
export interface QueryOptions {
  /** EDNS UDP size to advertise; omit for no OPT record. */
  readonly edns?: number;
  readonly recursionDesired?: boolean;
  readonly id?: number;
}

/** A decoded answer and the raw bytes it came in. */
export interface Reply {
  readonly packet: packet.Packet;
  readonly raw: Buffer;
}

let nextId = 1;

/** Encodes a query for `name`/`type` the way a resolver would. */
export function buildQuery(name: string, type: packet.RecordType, options: QueryOptions = {}): Buffer {
  nextId = (nextId % 65000) + 1;
  return packet.encode({
    type: 'query',
    id: options.id ?? nextId,
    flags: options.recursionDesired ? packet.RECURSION_DESIRED : 0,
    questions: [{ type, name, class: 'IN' }],
    additionals: options.edns === undefined ? [] : [{ type: 'OPT', name: '.', udpPayloadSize: options.edns, flags: 0 } as packet.Answer],
  });
}

/** Sends raw bytes over UDP; resolves with the reply bytes, or undefined after `timeoutMs` of silence. */
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

/** Sends one length-prefixed message over a new TCP connection and reads one reply. */
export function sendTcp(target: Target, message: Buffer, timeoutMs = 2000): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(target.port, target.address);
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, timeoutMs);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(message.length);
    socket.write(Buffer.concat([prefix, message]));
  });
}

/** Queries over UDP and decodes the reply; throws when nothing comes back. */
export async function queryUdp(target: Target, name: string, type: packet.RecordType, options: QueryOptions = {}): Promise<Reply> {
  const raw = await sendUdp(target, buildQuery(name, type, options));
  if (!raw) throw new Error(`no UDP reply for ${name} ${type}`);
  return { packet: packet.decode(raw), raw };
}

/** Queries over TCP and decodes the reply; throws when nothing comes back. */
export async function queryTcp(target: Target, name: string, type: packet.RecordType, options: QueryOptions = {}): Promise<Reply> {
  const raw = await sendTcp(target, buildQuery(name, type, options));
  if (!raw) throw new Error(`no TCP reply for ${name} ${type}`);
  return { packet: packet.decode(raw), raw };
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

/** The header's rcode of a reply, by name (RFC 1035 §4.1.1). */
export function rcodeOf(reply: Reply): string {
  const code = reply.raw.readUInt16BE(2) & 0x0f;
  return RCODES[code] ?? `RCODE${code}`;
}

/** The TXT strings of the answer section, each record joined as clients join them. */
export function txtValues(reply: Reply): string[] {
  return (reply.packet.answers ?? []).flatMap((a) => {
    if (a.type !== 'TXT') return [];
    const data: unknown = a.data;
    const parts = Array.isArray(data) ? data : [data];
    return [parts.map((d) => String(d)).join('')];
  });
}

/** Whether the reply has the AA bit (RFC 1035 §4.1.1). */
export function isAuthoritative(reply: Reply): boolean {
  return (reply.raw.readUInt16BE(2) & 0x0400) !== 0;
}
