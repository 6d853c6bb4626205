/**
 * DNS messages for tests: a query builder that writes the bytes by hand (so a test can send what
 * a codec would refuse: 0x20 spelling, odd classes and opcodes, EDNS options) and a reply parser.
 */
import * as dnsPacket from 'dns-packet';

/** Record types the tests name, by their code (RFC 1035 §3.2.2; RFC 3596; RFC 4034 §2-4; RFC 8659). */
const TYPE_CODES = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28, OPT: 41, DS: 43, RRSIG: 46, NSEC: 47, DNSKEY: 48, ANY: 255, CAA: 257 } as const;

/** A record type by name or by code. */
export type QueryType = keyof typeof TYPE_CODES | number;

/** What a test query looks like; TXT, class IN, id 0x1234 and no EDNS unless said. */
export interface QuerySpec {
  readonly id?: number;
  readonly name: string;
  readonly type?: QueryType;
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

/** 0x20 spelling of a name, as a resolver sends it: every other character upper case. */
export function mixedCase(name: string): string {
  return [...name].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
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
  const type = spec.type ?? 16;
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(typeof type === 'number' ? type : TYPE_CODES[type], 0);
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

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

/** The header's rcode of a reply, by name (RFC 1035 §4.1.1). */
export function rcodeOf(reply: Reply): string {
  const code = reply.raw.readUInt16BE(2) & 0x0f;
  return RCODES[code] ?? `RCODE${code}`;
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

/** The TXT strings of the answer section, each record's strings joined as clients join them. */
export function txtValues(reply: Reply): string[] {
  return (reply.packet.answers ?? []).flatMap((a) =>
    a.type === 'TXT' ? [(a.data as Buffer[]).map((b) => b.toString()).join('')] : [],
  );
}
