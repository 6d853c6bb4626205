/**
 * Test support for the DNS integration tests: a server on 127.0.0.1 port 0 with a Map-backed
 * lookup and a capturing logger, a raw query builder (independent of src/dns's codec), and UDP/TCP
 * exchanges that tell "no reply" apart without waiting on a clock.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as dnsPacket from 'dns-packet';
import pino from 'pino';
import type { DnsConfig } from '../src/config/types';
import type { NameData } from '../src/core/types';
import { createDnsServer, type DnsServer } from '../src/dns';

/** The zone every test server serves unless told otherwise. */
export const BASE_CONFIG: DnsConfig = {
  listen: ['127.0.0.1:0'],
  protocol: 'both',
  domain: 'auth.example.org',
  nsname: 'auth.example.org',
  nsadmin: 'admin.example.org',
  records: ['auth.example.org. A 198.51.100.1', 'auth.example.org. NS auth.example.org.'],
  negativeTtl: 60,
  txtTtl: 1,
  staticTtl: 3600,
  tcpIdleTimeoutMs: 30000,
  tcpMaxConnections: 100,
};

/** One parsed log line. */
export type LogLine = { level: number; msg: string } & Record<string, unknown>;

/** A started server and what the tests need from it. */
export interface Harness {
  readonly server: DnsServer;
  /** The first UDP and TCP listener (undefined when the protocol has none). */
  readonly udp: AddressInfo;
  readonly tcp: AddressInfo;
  readonly bound: { readonly udp: AddressInfo[]; readonly tcp: AddressInfo[] };
  readonly logs: LogLine[];
  stop(): Promise<void>;
}

/** Starts a server; `accounts` backs the lookup unless `lookup` is given. */
export async function startDns(
  options: {
    config?: Partial<DnsConfig>;
    accounts?: Map<string, NameData>;
    lookup?: (sub: string, now: number) => Promise<NameData | undefined>;
  } = {},
): Promise<Harness> {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const accounts = options.accounts ?? new Map<string, NameData>();
  const server = createDnsServer({
    config: { ...BASE_CONFIG, ...options.config },
    lookup: options.lookup ?? (async (sub) => accounts.get(sub)),
    logger,
    now: () => 1_795_435_199,
  });
  const bound = await server.start();
  return {
    server,
    udp: bound.udp[0] as AddressInfo,
    tcp: bound.tcp[0] as AddressInfo,
    bound,
    logs,
    stop: () => server.stop(),
  };
}

/** What a test query looks like. */
export interface QuerySpec {
  readonly id?: number;
  readonly name: string;
  readonly type?: number;
  readonly klass?: number;
  readonly rd?: boolean;
  readonly opcode?: number;
  readonly edns?: {
    readonly udpSize: number;
    readonly version?: number;
    readonly dnssecOk?: boolean;
    readonly options?: ReadonlyArray<{ readonly code: number; readonly data: Buffer }>;
  };
}

/** A name's wire form, labels as written (so 0x20 spelling goes out as is). */
export function wireName(name: string): Buffer {
  const labels = name === '' || name === '.' ? [] : name.replace(/\.$/, '').split('.');
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0])]);
}

/** An OPT record's bytes. */
export function optRecord(edns: NonNullable<QuerySpec['edns']>): Buffer {
  const options = Buffer.concat(
    (edns.options ?? []).map((o) => {
      const head = Buffer.alloc(4);
      head.writeUInt16BE(o.code, 0);
      head.writeUInt16BE(o.data.length, 2);
      return Buffer.concat([head, o.data]);
    }),
  );
  const rr = Buffer.alloc(11);
  rr.writeUInt16BE(41, 1);
  rr.writeUInt16BE(edns.udpSize, 3);
  rr.writeUInt8(edns.version ?? 0, 6);
  rr.writeUInt16BE(edns.dnssecOk ? 0x8000 : 0, 7);
  rr.writeUInt16BE(options.length, 9);
  return Buffer.concat([rr, options]);
}

/** A header with the given counts. */
export function header(id: number, flags: number, counts: [number, number, number, number]): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(flags, 2);
  counts.forEach((c, i) => h.writeUInt16BE(c, 4 + 2 * i));
  return h;
}

/** Builds a query by hand. */
export function buildQuery(spec: QuerySpec): Buffer {
  const flags = ((spec.opcode ?? 0) << 11) | (spec.rd ? 0x0100 : 0);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(spec.type ?? 16, 0);
  tail.writeUInt16BE(spec.klass ?? 1, 2);
  return Buffer.concat([
    header(spec.id ?? 0x1234, flags, [1, 0, 0, spec.edns ? 1 : 0]),
    wireName(spec.name),
    tail,
    ...(spec.edns ? [optRecord(spec.edns)] : []),
  ]);
}

/** A reply, decoded by dns-packet (lenient enough for well-formed replies) plus raw fields. */
export interface Reply {
  readonly raw: Buffer;
  readonly id: number;
  readonly qr: boolean;
  readonly opcode: number;
  readonly aa: boolean;
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  /** Full RCODE, with the OPT's upper bits (RFC 6891 §6.1.3). */
  readonly rcode: number;
  readonly qdcount: number;
  readonly packet: dnsPacket.DecodedPacket;
  readonly opt: dnsPacket.OptAnswer | undefined;
}

/** Parses a reply. */
export function parseReply(raw: Buffer): Reply {
  const packet = dnsPacket.decode(raw);
  const flags = raw.readUInt16BE(2);
  const opt = (packet.additionals ?? []).find((a): a is dnsPacket.OptAnswer => a.type === 'OPT');
  return {
    raw,
    id: raw.readUInt16BE(0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    rcode: (flags & 0xf) | ((opt?.extendedRcode ?? 0) << 4),
    qdcount: raw.readUInt16BE(4),
    packet,
    opt,
  };
}

/** A record of a reply section, OPT left out. */
export interface SimpleRR {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly data: unknown;
}

/** The records of a section as plain objects. */
export function rrs(list: readonly dnsPacket.Answer[] | undefined): SimpleRR[] {
  return (list ?? []).flatMap((a) => (a.type === 'OPT' ? [] : [{ name: a.name, type: a.type, ttl: a.ttl ?? 0, data: a.data }]));
}

/** TXT answers joined per RR. */
export function txtOf(reply: Reply): string[] {
  return (reply.packet.answers ?? []).flatMap((a) =>
    a.type === 'TXT' ? [(a.data as Buffer[]).map((b) => b.toString()).join('')] : [],
  );
}

const PING = buildQuery({ id: 0xfeed, name: 'ping.example.com', type: 1 });

/**
 * Sends `messages` then a ping (outside the zone, so no lookup) from one socket and returns the
 * replies that came before the ping's. The server handles datagrams in order and a message that
 * needs no lookup is answered before the next is read, so "nothing before the ping" means dropped.
 */
export function udpExchange(target: AddressInfo, ...messages: Buffer[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(target.family === 'IPv6' ? 'udp6' : 'udp4');
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

/** One UDP query, one reply. */
export async function udpQuery(target: AddressInfo, spec: QuerySpec): Promise<Reply> {
  const replies = await udpExchange(target, buildQuery(spec));
  if (replies.length !== 1) throw new Error(`expected one reply, got ${replies.length}`);
  return parseReply(replies[0] as Buffer);
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

  constructor(target: AddressInfo) {
    this.socket = net.connect({ host: target.address, port: target.port, allowHalfOpen: true, noDelay: true });
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

/** One TCP query on a new connection, one reply. */
export async function tcpQuery(target: AddressInfo, spec: QuerySpec): Promise<Reply> {
  const client = new TcpClient(target);
  client.write(frame(buildQuery(spec)));
  const [reply] = await client.waitFor(1);
  client.destroy();
  if (!reply) throw new Error('no TCP reply');
  return parseReply(reply);
}
