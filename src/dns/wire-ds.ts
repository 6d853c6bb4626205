/**
 * The parent DS lookup's message and what is read from its reply (client/ds-query.ts): a recursive query
 * (RD=1, RFC 1035 §4.1.1) for `<zone> DS` with EDNS (RFC 6891, 1232 octets, no DO: we read the DS
 * RDATA, the resolver validates), and the DS RDATA of the answer (RFC 4034 §5.1) with its TTL.
 * Read with our bounds-checked walker (wire-read.ts): a reply is untrusted input.
 */
import type { DsRecord } from './dnssec/parent-ds';
import { CLASS_IN, RRType } from './packet';
import { asciiLower, splitName } from './names';
import { OUR_UDP_SIZE } from './wire';
import { readMessage, Section, u16, WireFormatError } from './wire-read';

/** What a DS reply says. */
export interface DsReply {
  readonly id: number;
  readonly rcode: number;
  readonly truncated: boolean;
  /** QR set and the question is `<zone> DS IN`. */
  readonly answersQuestion: boolean;
  /** The DS records at the zone's name in the answer section. */
  readonly ds: readonly DsRecord[];
  /** The DS RRset's TTL; without DS, the negative TTL from the SOA in authority (RFC 2308 §5); else 0. */
  readonly ttl: number;
}

/** The query: header (RD), `<zone> DS IN`, and an OPT record offering 1232 octets. */
export function encodeDsQuery(id: number, zone: string): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(1, 10);
  const labels = splitName(zone.replace(/\.$/, ''));
  const name = Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0])]);
  const question = Buffer.alloc(4);
  question.writeUInt16BE(RRType.DS, 0);
  question.writeUInt16BE(CLASS_IN, 2);
  // OPT (RFC 6891 §6.1.2): root owner, TYPE 41, CLASS = UDP payload size, TTL 0 (no DO), RDLEN 0.
  const opt = Buffer.alloc(11);
  opt.writeUInt16BE(RRType.OPT, 1);
  opt.writeUInt16BE(OUR_UDP_SIZE, 3);
  return Buffer.concat([header, name, question, opt]);
}

/** Reads a reply to encodeDsQuery for `zone`; throws WireFormatError on bytes that are not a DNS message. */
export function decodeDsReply(msg: Buffer, zone: string): DsReply {
  const read = readMessage(msg);
  const flags = msg.readUInt16BE(2);
  const want = splitName(asciiLower(zone.replace(/\.$/, '')));
  // Label by label: a label holding a dot must not pass for two.
  const isOwner = (labels: readonly string[]): boolean => labels.length === want.length && labels.every((l, i) => asciiLower(l) === want[i]);
  const q = read.questions[0];
  const answersQuestion = (flags & 0x8000) !== 0 && read.questions.length === 1 && q !== undefined && isOwner(q.name.labels) && q.type === RRType.DS && q.klass === CLASS_IN;
  const ds: DsRecord[] = [];
  let dsTtl: number | undefined;
  let negativeTtl = 0;
  for (const rr of read.records) {
    if (rr.klass !== CLASS_IN) continue;
    if (rr.section === Section.ANSWER && rr.type === RRType.DS && isOwner(rr.owner.labels)) {
      // Key tag (2), algorithm (1), digest type (1), digest (the rest, at least one octet).
      if (rr.rdEnd - rr.rdStart < 5) throw new WireFormatError('DS RDATA too short');
      ds.push({
        keyTag: u16(msg, rr.rdStart),
        algorithm: msg[rr.rdStart + 2] as number,
        digestType: msg[rr.rdStart + 3] as number,
        digest: msg.toString('hex', rr.rdStart + 4, rr.rdEnd),
      });
      dsTtl = Math.min(dsTtl ?? rr.ttl, rr.ttl);
    }
    if (rr.section === Section.AUTHORITY && rr.type === RRType.SOA && rr.rdEnd - rr.rdStart >= 22) {
      // The SOA's MINIMUM is its last four octets (RFC 1035 §3.3.13).
      negativeTtl = Math.min(rr.ttl, msg.readUInt32BE(rr.rdEnd - 4));
    }
  }
  return { id: msg.readUInt16BE(0), rcode: flags & 0xf, truncated: (flags & 0x0200) !== 0, answersQuestion, ds, ttl: dsTtl ?? negativeTtl };
}
