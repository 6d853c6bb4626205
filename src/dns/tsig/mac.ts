/**
 * What a TSIG MAC is computed over (RFC 8945 §4.3) and the HMAC itself (node:crypto). Names enter
 * the digest in canonical wire form: uncompressed, lower-case (RFC 8945 §4.3.3, RFC 4034 §6.2).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TsigAlgorithm } from '../../core/tsig-algorithms';
import { hashName, macSize } from './algorithms';

/** The Fudge we send (RFC 8945 §10 recommends 300 seconds). */
export const FUDGE = 300;

/** A 48-bit unsigned integer, big-endian (Time Signed, RFC 8945 §4.2). */
export function u48(value: number): Buffer {
  const out = Buffer.alloc(6);
  out.writeUIntBE(value, 0, 6);
  return out;
}

function u16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value, 0);
  return out;
}

/**
 * A presentation name (lower-case or not, without the final dot, RFC 1035 §5.1 escapes `\.`,
 * `\\` and `\DDD` as names.ts writes them) in canonical wire form.
 */
export function canonicalNameWire(name: string): Buffer {
  const bytes: number[] = [];
  let label: number[] = [];
  const flush = (): void => {
    if (label.length === 0 || label.length > 63) throw new Error(`cannot encode name ${JSON.stringify(name)}`);
    bytes.push(label.length, ...label);
    label = [];
  };
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2e) flush();
    else if (c === 0x5c) {
      if (i + 1 >= name.length) throw new Error(`cannot encode name ${JSON.stringify(name)}`);
      const digits = /^[0-9]{3}/.exec(name.slice(i + 1));
      label.push(digits ? Number(digits[0]) : name.charCodeAt(i + 1));
      i += digits ? 3 : 1;
    } else label.push(c);
  }
  if (name !== '') flush();
  bytes.push(0);
  // A-Z to a-z only (RFC 4034 §6.2): the other bytes stay as they are.
  return Buffer.from(bytes.map((b) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b)));
}

/** A MAC as it enters a later digest: MAC Size then MAC (RFC 8945 §4.3.1, §5.3.1). */
export function lengthPrefixed(mac: Buffer): Buffer {
  return Buffer.concat([u16(mac.length), mac]);
}

/** The fields of the TSIG RR a first digest covers (RFC 8945 §4.3.3). */
export interface TsigVariables {
  readonly keyName: string;
  readonly algorithm: string;
  readonly timeSigned: number;
  readonly fudge: number;
  readonly error: number;
  readonly other: Buffer;
}

/** The TSIG Variables (RFC 8945 §4.3.3): NAME, CLASS ANY, TTL 0, algorithm, times, error, other. */
export function tsigVariables(v: TsigVariables): Buffer {
  return Buffer.concat([
    canonicalNameWire(v.keyName),
    Buffer.from([0, 255, 0, 0, 0, 0]),
    canonicalNameWire(v.algorithm),
    timers(v.timeSigned, v.fudge),
    u16(v.error),
    u16(v.other.length),
    v.other,
  ]);
}

/** The TSIG Timers (RFC 8945 §4.3.3): Time Signed and Fudge, all a later message of a stream covers. */
export function timers(timeSigned: number, fudge: number): Buffer {
  return Buffer.concat([u48(timeSigned), u16(fudge)]);
}

/**
 * A message as its MAC sees it (RFC 8945 §4.3.2): the bytes before its TSIG RR, ARCOUNT less the
 * TSIG, the ID replaced by the Original ID (a forwarder may have changed it).
 */
export function messageWithoutTsig(msg: Buffer, tsigStart: number, originalId: number): Buffer {
  const out = Buffer.from(msg.subarray(0, tsigStart));
  out.writeUInt16BE(originalId, 0);
  out.writeUInt16BE(out.readUInt16BE(10) - 1, 10);
  return out;
}

/** HMAC of the parts, in order, under the key. */
export function hmac(algorithm: TsigAlgorithm, secret: Buffer, parts: readonly Buffer[]): Buffer {
  const h = createHmac(hashName(algorithm), secret);
  for (const p of parts) h.update(p);
  return h.digest();
}

/**
 * Compares a received (possibly truncated, RFC 8945 §5.2.2.1 rule 4) MAC with the leading octets
 * of the computed one, in constant time.
 */
export function macMatches(computed: Buffer, received: Buffer): boolean {
  if (received.length === 0 || received.length > computed.length) return false;
  return timingSafeEqual(computed.subarray(0, received.length), received);
}

/** The smallest MAC Size RFC 8945 §5.2.2.1 rule 3 allows: the larger of 10 and half the hash. */
export function minimumMacSize(algorithm: TsigAlgorithm): number {
  return Math.max(10, Math.ceil(macSize(algorithm) / 2));
}
