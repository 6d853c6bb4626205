/**
 * The canonical form of an RRset (RFC 4034 §6) and the bytes an RRSIG signs (§3.1.8.1): the RRSIG
 * RDATA without the signature, then every RR as owner (lower-case, uncompressed), type, class,
 * original TTL, RDLENGTH and RDATA, in canonical RDATA order with duplicates removed (§6.3).
 */
import type { RData } from '../packet';
import { CLASS_IN } from '../packet';
import { encodeRecordTail } from '../wire';
import { wireName } from './rdata';

/** An RRset in canonical form: what is signed, and what a cached signature is keyed by. */
export interface CanonicalRRset {
  /** The owner name, lower-case and uncompressed (RFC 4034 §6.2). */
  readonly owner: Buffer;
  /** The RRSIG labels field of this owner (RFC 4034 §3.1.3). */
  readonly labels: number;
  readonly type: number;
  /** The original TTL (RFC 4034 §3.1.4). */
  readonly ttl: number;
  /** Each RR's RDATA, sorted as left-justified unsigned octet sequences, duplicates removed (§6.3). */
  readonly rdatas: readonly Buffer[];
}

/**
 * The RRSIG labels field (RFC 4034 §3.1.3): the owner's labels, the root not counted and a
 * leading `*` (a wildcard owner) not counted either, so a validator can tell a synthesized answer.
 */
export function rrsigLabels(ownerLabels: readonly string[]): number {
  return ownerLabels[0] === '*' ? ownerLabels.length - 1 : ownerLabels.length;
}

/**
 * One record's RDATA from the codec boundary. Names inside our RDATA are already lower-case and
 * uncompressed (RFC 4034 §6.2 items 2-3); TXT and CAA keep their case, as the canonical form does.
 */
function rdataOf(type: number, data: RData): Buffer {
  const tail = encodeRecordTail({ name: '', ttl: 0, data });
  const encodedType = tail.readUInt16BE(0);
  if (encodedType !== type) throw new Error(`an RRset of type ${type} holds a ${data.type} record`);
  return tail.subarray(10);
}

/**
 * The canonical form of the RRset at `ownerLabels` (wire labels as latin1 strings, any case: the
 * question's 0x20 spelling gives the same bytes as lower case). Throws on an empty RRset.
 */
export function canonicalRRset(ownerLabels: readonly string[], type: number, ttl: number, data: readonly RData[]): CanonicalRRset {
  if (data.length === 0) throw new Error('an empty RRset cannot be signed');
  const sorted = data.map((d) => rdataOf(type, d)).sort(Buffer.compare);
  // RFC 4034 §6.3: duplicate RRs are suppressed; after sorting they are neighbours.
  const rdatas = sorted.filter((r, i) => i === 0 || !r.equals(sorted[i - 1] as Buffer));
  return { owner: wireName(ownerLabels, true), labels: rrsigLabels(ownerLabels), type, ttl, rdatas };
}

/** The data an RRSIG signs (RFC 4034 §3.1.8.1): `rrsigHead` (rrsigRdataHead) then the RRs in canonical form. */
export function signedData(rrsigHead: Buffer, rrset: CanonicalRRset): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(rrset.type, 0);
  fixed.writeUInt16BE(CLASS_IN, 2);
  fixed.writeUInt32BE(rrset.ttl >>> 0, 4);
  const parts: Buffer[] = [rrsigHead];
  for (const rdata of rrset.rdatas) {
    const head = Buffer.from(fixed);
    head.writeUInt16BE(rdata.length, 8);
    parts.push(rrset.owner, head, rdata);
  }
  return Buffer.concat(parts);
}
