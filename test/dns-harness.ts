/**
 * Test support for the DNS integration tests: a server on 127.0.0.1 port 0 with a Map-backed
 * lookup and a capturing logger, a raw query builder (independent of src/dns's codec) and a reply
 * parser. The UDP/TCP clients are in dns-clients.ts.
 */
import type { AddressInfo } from 'node:net';
import * as dnsPacket from 'dns-packet';
import pino from 'pino';
import type { DnsConfig, RrlConfig } from '../src/config/types';
import type { NameData } from '../src/core/types';
import { createDnsServer, type DnsServer } from '../src/dns';
import type { DnsMetrics, RrlMetrics } from '../src/metrics';

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
  tcpMaxConnectionsPerAddress: 100,
  tcpMessageTimeoutMs: 30000,
  tcpMaxLifetimeMs: 120000,
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

/** Starts a server; `accounts` backs the lookup unless `lookup` is given, `challenges` the own-challenge reads. */
export async function startDns(
  options: {
    config?: Partial<DnsConfig>;
    accounts?: Map<string, NameData>;
    lookup?: (sub: string, now: number) => Promise<NameData | undefined>;
    /** Own DNS-01 values by lower-case name; a function to see (or fail) each read. */
    challenges?: Map<string, readonly string[]> | ((name: string, now: number) => Promise<readonly string[]>);
    /** Where own DNS-01 values may appear (the daemon derives them from the config). */
    ownChallengeNames?: readonly string[];
    /** `[rrl]` settings (response rate limiting on UDP); absent: off. */
    rrl?: RrlConfig;
    metrics?: DnsMetrics & RrlMetrics;
    /** Seconds; a fixed instant unless given (so RRL counts are exact). */
    now?: () => number;
  } = {},
): Promise<Harness> {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const accounts = options.accounts ?? new Map<string, NameData>();
  const challenges = options.challenges ?? new Map<string, readonly string[]>();
  const server = createDnsServer({
    config: { ...BASE_CONFIG, ...options.config },
    lookup: options.lookup ?? (async (sub) => accounts.get(sub)),
    challenges: typeof challenges === 'function' ? challenges : async (name) => challenges.get(name) ?? [],
    logger,
    now: options.now ?? (() => 1_795_435_199),
    rrl: options.rrl,
    metrics: options.metrics,
    ownChallengeNames: options.ownChallengeNames ?? [],
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
