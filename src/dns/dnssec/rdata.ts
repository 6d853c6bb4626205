/**
 * RDATA of the DNSSEC types (RFC 4034 §2.1, §3.1, §4.1) written by hand: these records are signed
 * over their exact canonical bytes (RFC 4034 §6.2), names uncompressed and lower-case, so the
 * bytes on the wire and the bytes signed come from one function here rather than from the codec,
 * which does not know the NXNAME type (RFC 9824) and writes RRSIG names in the case given.
 */
import type { RData } from '../packet';
import { splitName } from '../names';

/** The DNSSEC variants of RData. */
export type DnssecRData = Extract<RData, { type: 'DNSKEY' | 'RRSIG' | 'NSEC' }>;

/** True for the DNSSEC types this file writes. */
export function isDnssecRData(d: RData): d is DnssecRData {
  return d.type === 'DNSKEY' || d.type === 'RRSIG' || d.type === 'NSEC';
}

/** An uncompressed wire name from labels (latin1 strings or bytes); lower-cased when asked (RFC 4034 §6.2). */
export function wireName(labels: readonly (string | Buffer)[], lower = false): Buffer {
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.isBuffer(label) ? Buffer.from(label) : Buffer.from(label, 'latin1');
    if (bytes.length === 0 || bytes.length > 63) throw new Error('label length out of range');
    if (lower) for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) >= 0x41 && (bytes[i] as number) <= 0x5a) bytes[i] = (bytes[i] as number) | 0x20;
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** A name of ours (lower-case presentation form without escapes) on the wire. */
export function wireNameOf(name: string): Buffer {
  return wireName(splitName(name), true);
}

/** The type bit maps field (RFC 4034 §4.1.2): windows in ascending order, trailing zero octets left out. */
export function typeBitmaps(types: readonly number[]): Buffer {
  const sorted = [...new Set(types)].sort((a, b) => a - b);
  const out: Buffer[] = [];
  for (let i = 0; i < sorted.length; ) {
    const window = (sorted[i] as number) >> 8;
    const bits = Buffer.alloc(32);
    let length = 0;
    for (; i < sorted.length && (sorted[i] as number) >> 8 === window; i++) {
      const low = (sorted[i] as number) & 0xff;
      bits[low >> 3] = (bits[low >> 3] as number) | (0x80 >> (low & 7));
      length = (low >> 3) + 1;
    }
    out.push(Buffer.from([window, length]), bits.subarray(0, length));
  }
  return Buffer.concat(out);
}

/** DNSKEY RDATA (RFC 4034 §2.1): flags, protocol 3, algorithm, public key. */
export function dnskeyRdata(d: Extract<RData, { type: 'DNSKEY' }>): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(d.flags, 0);
  head.writeUInt8(3, 2);
  head.writeUInt8(d.algorithm, 3);
  return Buffer.concat([head, d.publicKey]);
}

/** RRSIG RDATA without the signature (RFC 4034 §3.1): the first part of what is signed (§3.1.8.1). */
export function rrsigRdataHead(d: Omit<Extract<RData, { type: 'RRSIG' }>, 'signature'>): Buffer {
  const head = Buffer.alloc(18);
  head.writeUInt16BE(d.typeCovered, 0);
  head.writeUInt8(d.algorithm, 2);
  head.writeUInt8(d.labels, 3);
  head.writeUInt32BE(d.originalTtl >>> 0, 4);
  // RFC 4034 §3.1.5: 32-bit serial-number arithmetic; times past 2106 wrap.
  head.writeUInt32BE(d.expiration % 2 ** 32, 8);
  head.writeUInt32BE(d.inception % 2 ** 32, 12);
  head.writeUInt16BE(d.keyTag, 16);
  return Buffer.concat([head, wireNameOf(d.signer)]);
}

/** NSEC RDATA (RFC 4034 §4.1): next owner name (uncompressed), type bit maps. */
export function nsecRdata(d: Extract<RData, { type: 'NSEC' }>): Buffer {
  return Buffer.concat([wireName(d.next), typeBitmaps(d.types)]);
}

/** The RDATA of a DNSSEC record. */
export function dnssecRdata(d: DnssecRData): Buffer {
  switch (d.type) {
    case 'DNSKEY':
      return dnskeyRdata(d);
    case 'RRSIG':
      return Buffer.concat([rrsigRdataHead(d), d.signature]);
    case 'NSEC':
      return nsecRdata(d);
  }
}
