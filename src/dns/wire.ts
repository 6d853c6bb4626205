/**
 * The DNS codec boundary: the only file that imports dns-packet (DESIGN rule 5). Queries are
 * decoded by our strict walker (wire-decode.ts, which says why); responses are assembled here:
 * our own header, the query's question bytes unchanged, owner names compressed against the
 * question, and each RR's TYPE..RDATA from dns-packet.
 */
import * as dnsPacket from 'dns-packet';
import type { RData, ResourceRecord, Response } from './packet';
import { CLASS_IN, RRType } from './packet';
import { asciiLower, keyLabels, parseName, presentLabel, splitName } from './names';
import { dnssecRdata, isDnssecRData } from './dnssec/rdata';

const HEADER_BYTES = 12;
/** The UDP payload size we advertise: the DNS Flag Day 2020 value (RFC 9715 §3.2). */
export const OUR_UDP_SIZE = 1232;

function toPacketName(name: string): string {
  if (name.includes('\\')) throw new Error(`cannot encode escaped name ${name}`);
  return name === '' ? '.' : name;
}

function toPacketAnswer(rr: ResourceRecord): dnsPacket.Answer {
  const base = { name: '.', ttl: rr.ttl, class: 'IN' as const };
  const d: RData = rr.data;
  switch (d.type) {
    case 'A':
    case 'AAAA':
      return { ...base, type: d.type, data: d.address };
    case 'NS':
    case 'CNAME':
      return { ...base, type: d.type, data: toPacketName(d.target) };
    case 'MX':
      return { ...base, type: 'MX', data: { preference: d.preference, exchange: toPacketName(d.exchange) } };
    case 'SRV':
      return {
        ...base,
        type: 'SRV',
        data: { priority: d.priority, weight: d.weight, port: d.port, target: toPacketName(d.target) },
      };
    case 'TXT':
      // Encoded by encodeTxtTail; kept here so every type has a dns-packet form.
      return { ...base, type: 'TXT', data: [...d.strings] };
    case 'CAA':
      // The typings list three tags; RFC 8659 §4.1 allows any, and dns-packet writes any string.
      return { ...base, type: 'CAA', data: { flags: d.flags, tag: d.tag as dnsPacket.CaaData['tag'], value: d.value } };
    case 'SOA':
      return {
        ...base,
        type: 'SOA',
        data: {
          mname: toPacketName(d.mname),
          rname: toPacketName(d.rname),
          serial: d.serial,
          refresh: d.refresh,
          retry: d.retry,
          expire: d.expire,
          minimum: d.minimum,
        },
      };
    case 'DNSKEY':
    case 'RRSIG':
    case 'NSEC':
      // Written by dns/dnssec/rdata.ts (encodeRecordTail), never through the codec.
      throw new Error(`${d.type} is not encoded by the codec`);
  }
}

/** Encoded tails by RDATA object and TTL: static records are the same objects on every query. */
const tailCache = new WeakMap<RData, Map<number, Buffer>>();

/**
 * TXT, the hot path (every challenge lookup, with fresh values each time), written directly:
 * through dns-packet it cost about half the handler's time. RFC 1035 §3.3.14: <character-string>s.
 */
function encodeTxtTail(ttl: number, strings: readonly Buffer[]): Buffer {
  let rdLength = 0;
  for (const s of strings) {
    if (s.length > 255) throw new Error('TXT string longer than 255');
    rdLength += 1 + s.length;
  }
  const out = Buffer.allocUnsafe(10 + rdLength);
  out.writeUInt16BE(RRType.TXT, 0);
  out.writeUInt16BE(CLASS_IN, 2);
  out.writeUInt32BE(ttl, 4);
  out.writeUInt16BE(rdLength, 8);
  let off = 10;
  for (const s of strings) {
    out[off++] = s.length;
    off += s.copy(out, off);
  }
  return out;
}

/** TYPE, CLASS, TTL, RDLENGTH around RDATA we wrote ourselves. */
function tailAround(type: number, ttl: number, rdata: Buffer): Buffer {
  const head = Buffer.allocUnsafe(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(CLASS_IN, 2);
  head.writeUInt32BE(ttl, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([head, rdata]);
}

/** TYPE, CLASS, TTL, RDLENGTH and RDATA of one record (everything after the owner name). */
export function encodeRecordTail(rr: ResourceRecord): Buffer {
  if (rr.data.type === 'TXT') return encodeTxtTail(rr.ttl, rr.data.strings);
  const byTtl = tailCache.get(rr.data);
  const cached = byTtl?.get(rr.ttl);
  if (cached) return cached;
  const d = rr.data;
  // Header (12) and the root owner name (1 byte) come first in what the codec writes.
  const tail = isDnssecRData(d)
    ? tailAround(RRType[d.type], rr.ttl, dnssecRdata(d))
    : dnsPacket.encode({ type: 'response', answers: [toPacketAnswer(rr)] }).subarray(HEADER_BYTES + 1);
  if (byTtl) byTtl.set(rr.ttl, tail);
  else tailCache.set(rr.data, new Map([[rr.ttl, tail]]));
  return tail;
}

/** The question name's lower-case labels and where each starts in the response. */
interface QuestionLabels {
  readonly keys: readonly string[];
  readonly offsets: readonly number[];
}

function questionLabels(questionBytes: Buffer | undefined): QuestionLabels {
  const raw: string[] = [];
  const offsets: number[] = [];
  if (questionBytes) {
    for (let off = 0; off < questionBytes.length && questionBytes[off] !== 0; off += (questionBytes[off] as number) + 1) {
      offsets.push(HEADER_BYTES + off);
      raw.push(questionBytes.toString('latin1', off + 1, off + 1 + (questionBytes[off] as number)));
    }
  }
  return { keys: keyLabels(raw), offsets };
}

/**
 * An owner name: the longest suffix it shares with the question becomes a pointer into the
 * question (RFC 1035 §4.1.4), so a name equal to the question is written in its exact spelling.
 */
function encodeOwner(name: string, q: QuestionLabels): Buffer {
  // Escapes (an owner spelled from an odd question, e.g. a label holding a dot) are read back to
  // the wire bytes; the keys compared with the question's are presentation labels, as q.keys are.
  const escaped = name.includes('\\');
  const labels = escaped ? parseName(name) : splitName(name);
  const key = (label: string): string => asciiLower(escaped ? presentLabel(label) : label);
  let shared = 0;
  while (
    shared < labels.length &&
    shared < q.keys.length &&
    key(labels[labels.length - 1 - shared] as string) === q.keys[q.keys.length - 1 - shared]
  ) {
    shared++;
  }
  const own = labels.slice(0, labels.length - shared);
  const parts: Buffer[] = [];
  for (const label of own) {
    if (label.length === 0 || label.length > 63) {
      throw new Error(`cannot encode owner name ${name}`);
    }
    parts.push(Buffer.from([label.length]), Buffer.from(label, 'latin1'));
  }
  if (shared > 0) {
    const pointer = q.offsets[q.keys.length - shared] as number;
    parts.push(Buffer.from([0xc0 | (pointer >> 8), pointer & 0xff]));
  } else parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** Our OPT record (RFC 6891 §6.1.2): root owner, our UDP size, upper RCODE bits, DO echoed. */
function encodeOpt(rcode: number, dnssecOk: boolean): Buffer {
  const opt = Buffer.alloc(11);
  opt.writeUInt16BE(RRType.OPT, 1);
  opt.writeUInt16BE(OUR_UDP_SIZE, 3);
  opt.writeUInt8((rcode >> 4) & 0xff, 5);
  opt.writeUInt16BE(dnssecOk ? 0x8000 : 0, 7);
  return opt;
}

function encodeHeader(res: Response, tc: boolean, counts: readonly number[]): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h.writeUInt16BE(res.header.id, 0);
  // QR=1, RA=0 always (we never recurse), RD and CD copied (RFC 1035 §4.1.1, RFC 4035 §3.1.6).
  const flags =
    0x8000 |
    ((res.header.opcode & 0xf) << 11) |
    (res.aa ? 0x0400 : 0) |
    (tc ? 0x0200 : 0) |
    (res.header.rd ? 0x0100 : 0) |
    (res.header.cd ? 0x0010 : 0) |
    (res.rcode & 0xf);
  h.writeUInt16BE(flags, 2);
  counts.forEach((c, i) => h.writeUInt16BE(c, 4 + 2 * i));
  return h;
}

function assemble(res: Response, tc: boolean, q: QuestionLabels): Buffer {
  if (res.rcode > 15 && !res.edns) throw new Error(`rcode ${res.rcode} needs EDNS`);
  const answer = tc ? [] : res.answer;
  const authority = tc ? [] : res.authority;
  const counts = [res.questionBytes ? 1 : 0, answer.length, authority.length, res.edns ? 1 : 0];
  const parts: Buffer[] = [encodeHeader(res, tc, counts)];
  if (res.questionBytes) parts.push(res.questionBytes);
  // Records of one RRset share their owner: encoded once (a TXT answer's values, most often).
  let lastName: string | undefined;
  let lastOwner: Buffer = Buffer.alloc(0);
  for (const section of [answer, authority]) {
    for (const rr of section) {
      if (rr.name !== lastName) {
        lastOwner = encodeOwner(rr.name, q);
        lastName = rr.name;
      }
      parts.push(lastOwner, encodeRecordTail(rr));
    }
  }
  if (res.edns) parts.push(encodeOpt(res.rcode, res.edns.dnssecOk));
  return Buffer.concat(parts);
}

/**
 * Encodes a response; when it exceeds `maxSize` it is sent with TC=1 and no records but the
 * question and OPT (RFC 2181 §9, RFC 6891 §7), so the client retries over TCP.
 */
export function encodeResponse(res: Response, maxSize: number): Buffer {
  const q = questionLabels(res.questionBytes);
  const full = assemble(res, false, q);
  return full.length <= maxSize ? full : assemble(res, true, q);
}

/**
 * A zone transfer's records in as many messages as needed, each at most `maxSize` octets
 * (RFC 5936 §2.2). Every message carries the question (§2.2.1 allows it after the first; it lets
 * owners be compressed against it) and the OPT when the query had one; a record never spans two
 * messages. `res.answer` and `res.authority` are ignored.
 */
export function encodeAnswerMessages(res: Response, records: readonly ResourceRecord[], maxSize: number): Buffer[] {
  const q = questionLabels(res.questionBytes);
  const fixed = HEADER_BYTES + (res.questionBytes?.length ?? 0) + (res.edns ? 11 : 0);
  const messages: Buffer[] = [];
  let batch: Buffer[] = [];
  let size = fixed;
  const flush = (): void => {
    const counts = [res.questionBytes ? 1 : 0, batch.length, 0, res.edns ? 1 : 0];
    messages.push(
      Buffer.concat([
        encodeHeader(res, false, counts),
        ...(res.questionBytes ? [res.questionBytes] : []),
        ...batch,
        ...(res.edns ? [encodeOpt(res.rcode, res.edns.dnssecOk)] : []),
      ]),
    );
    batch = [];
    size = fixed;
  };
  for (const rr of records) {
    const bytes = Buffer.concat([encodeOwner(rr.name, q), encodeRecordTail(rr)]);
    if (fixed + bytes.length > maxSize) throw new Error(`record ${rr.name} does not fit in a message`);
    if (size + bytes.length > maxSize || batch.length === 0xffff) flush();
    batch.push(bytes);
    size += bytes.length;
  }
  if (batch.length > 0 || messages.length === 0) flush();
  return messages;
}

/** What our own-answer check reads from a reply (client/self-query.ts). */
export interface TxtReply {
  readonly id: number;
  readonly rcode: number;
  readonly truncated: boolean;
  /** The question's name as the reply carries it. */
  readonly questionName: string | undefined;
  /** Each TXT record at the question name, its strings joined (RFC 7208 §3.3 style, as clients do). */
  readonly txt: readonly string[];
}

/** A TXT query (RD off: we ask an authoritative server) for the self-query. */
export function encodeTxtQuery(id: number, name: string): Buffer {
  return dnsPacket.encode({ type: 'query', id, flags: 0, questions: [{ type: 'TXT', class: 'IN', name: toPacketName(name) }] });
}

/** Decodes a reply to encodeTxtQuery; throws on bytes that are not a DNS response. */
export function decodeTxtReply(msg: Buffer): TxtReply {
  const packet = dnsPacket.decode(msg);
  if (packet.type !== 'response') throw new Error('not a DNS response');
  const question = packet.questions?.[0]?.name;
  const owner = question === undefined ? undefined : asciiLower(question);
  const txt = (packet.answers ?? []).flatMap((a) =>
    a.type === 'TXT' && asciiLower(a.name) === owner ? [txtText(a.data)] : [],
  );
  return { id: packet.id ?? -1, rcode: msg.readUInt16BE(2) & 0xf, truncated: (msg.readUInt16BE(2) & 0x0200) !== 0, questionName: question, txt };
}

/** dns-packet decodes TXT data as one string or as a list of strings / buffers. */
function txtText(data: dnsPacket.TxtData): string {
  const parts = Array.isArray(data) ? data : [data];
  return parts.map((p: string | Buffer) => (typeof p === 'string' ? p : p.toString('latin1'))).join('');
}
