/**
 * The NOTIFY message we send to secondaries and what we read from their replies (RFC 1996). Our
 * own few bytes: the header, the zone's name as the question, its SOA in the answer section.
 */
import type { ResourceRecord } from './packet';
import { CLASS_IN, OPCODE_NOTIFY, RRType } from './packet';
import { splitName } from './names';
import { encodeRecordTail } from './wire';

const HEADER_BYTES = 12;
/** A compression pointer to the question's name, right after the header (RFC 1035 §4.1.4). */
const POINTER_TO_QUESTION = Buffer.from([0xc0, HEADER_BYTES]);

/**
 * A NOTIFY for the zone whose SOA is `soa` (RFC 1996 §3.7): opcode NOTIFY, AA set, QTYPE SOA,
 * and the SOA in the answer section (§3.7 "MAY"; BIND and Knot send it, and a secondary that
 * already holds this serial then skips the SOA query, §3.11).
 */
export function encodeNotify(id: number, soa: ResourceRecord): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE((OPCODE_NOTIFY << 11) | 0x0400, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(1, 6);
  const name = Buffer.concat([
    ...splitName(soa.name).map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'latin1')])),
    Buffer.from([0]),
  ]);
  const question = Buffer.alloc(4);
  question.writeUInt16BE(RRType.SOA, 0);
  question.writeUInt16BE(CLASS_IN, 2);
  return Buffer.concat([header, name, question, POINTER_TO_QUESTION, encodeRecordTail(soa)]);
}

/** The header fields a NOTIFY's reply is checked by (RFC 1996 §4.7). */
export interface NotifyReply {
  readonly id: number;
  /** QR set and opcode NOTIFY: a reply to a NOTIFY, not something else. */
  readonly isNotifyResponse: boolean;
  readonly rcode: number;
}

/** The header of a datagram that claims to answer a NOTIFY; undefined when shorter than a header. */
export function decodeNotifyReply(msg: Buffer): NotifyReply | undefined {
  if (msg.length < HEADER_BYTES) return undefined;
  const flags = msg.readUInt16BE(2);
  return {
    id: msg.readUInt16BE(0),
    isNotifyResponse: (flags & 0x8000) !== 0 && ((flags >> 11) & 0xf) === OPCODE_NOTIFY,
    rcode: flags & 0xf,
  };
}
