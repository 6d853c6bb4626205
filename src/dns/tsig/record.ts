/**
 * The TSIG RR (RFC 8945 §4.2): reading one from a message, strictly, and writing ours. Owner: the
 * key name; TYPE 250; CLASS ANY; TTL 0; RDATA: algorithm name (never compressed, RFC 8945 §4.2
 * after RFC 3597 §4), Time Signed (48 bits), Fudge, MAC Size, MAC, Original ID, Error, Other Len,
 * Other Data.
 */
import { keyLabels } from '../names';
import { readName, WireFormatError } from '../wire-read';
import { canonicalNameWire, u48 } from './mac';
import type { TsigFields, TsigRecord } from './types';

/** The TSIG RR type (RFC 8945 §4.2). */
export const TYPE_TSIG = 250;
/** CLASS ANY (RFC 1035 §3.2.5), the only class of a TSIG RR. */
export const CLASS_ANY = 255;

/**
 * A TSIG RR that cannot be read (truncated, bad lengths) or a MAC size RFC 8945 §5.2.2.1 forbids:
 * the message gets FORMERR. A WireFormatError, so the message decoders answer it as any other.
 */
export class TsigFormatError extends WireFormatError {}

/** Reads the TSIG RR at `start` (its owner name) that ends at `end`: TsigFormatError when malformed. */
export function parseTsigRecord(msg: Buffer, start: number, end: number): TsigRecord {
  try {
    return parse(msg, start, end);
  } catch (err) {
    if (err instanceof TsigFormatError) throw err;
    if (err instanceof WireFormatError) throw new TsigFormatError(`TSIG: ${err.message}`);
    throw err;
  }
}

function need(at: number, bytes: number, end: number, what: string): void {
  if (at + bytes > end) throw new TsigFormatError(`TSIG ${what} runs past the RDATA`);
}

function parse(msg: Buffer, start: number, end: number): TsigRecord {
  if (end > msg.length || start >= end) throw new TsigFormatError('TSIG outside the message');
  const owner = readName(msg, start);
  need(owner.end, 10, end, 'header');
  if (msg.readUInt16BE(owner.end) !== TYPE_TSIG) throw new TsigFormatError('not a TSIG RR');
  if (msg.readUInt16BE(owner.end + 2) !== CLASS_ANY) throw new TsigFormatError('TSIG class is not ANY');
  if (msg.readUInt32BE(owner.end + 4) !== 0) throw new TsigFormatError('TSIG TTL is not 0');
  const rdStart = owner.end + 10;
  if (rdStart + msg.readUInt16BE(owner.end + 8) !== end) throw new TsigFormatError('TSIG RDLENGTH disagrees with the record');
  const algorithm = readName(msg, rdStart);
  if (algorithm.compressed) throw new TsigFormatError('TSIG algorithm name is compressed');
  let at = algorithm.end;
  need(at, 10, end, 'fixed fields');
  const timeSigned = msg.readUIntBE(at, 6);
  const fudge = msg.readUInt16BE(at + 6);
  const macSize = msg.readUInt16BE(at + 8);
  at += 10;
  need(at, macSize, end, 'MAC');
  const mac = Buffer.from(msg.subarray(at, at + macSize));
  at += macSize;
  need(at, 6, end, 'fields after the MAC');
  const originalId = msg.readUInt16BE(at);
  const error = msg.readUInt16BE(at + 2);
  const otherLen = msg.readUInt16BE(at + 4);
  at += 6;
  if (at + otherLen !== end) throw new TsigFormatError('TSIG Other Len disagrees with the RDATA');
  return {
    start,
    keyName: keyLabels(owner.labels).join('.'),
    algorithm: keyLabels(algorithm.labels).join('.'),
    timeSigned,
    fudge,
    mac,
    originalId,
    error,
    other: Buffer.from(msg.subarray(at, end)),
  };
}

/** Our TSIG RR, names uncompressed and lower-case (nothing to point at is guaranteed to exist). */
export function encodeTsigRecord(f: TsigFields): Buffer {
  const algorithm = canonicalNameWire(f.algorithm);
  const rdLength = algorithm.length + 10 + f.mac.length + 6 + f.other.length;
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(TYPE_TSIG, 0);
  fixed.writeUInt16BE(CLASS_ANY, 2);
  fixed.writeUInt16BE(rdLength, 8);
  const times = Buffer.alloc(10);
  u48(f.timeSigned).copy(times, 0);
  times.writeUInt16BE(f.fudge, 6);
  times.writeUInt16BE(f.mac.length, 8);
  const tail = Buffer.alloc(6);
  tail.writeUInt16BE(f.originalId, 0);
  tail.writeUInt16BE(f.error, 2);
  tail.writeUInt16BE(f.other.length, 4);
  return Buffer.concat([canonicalNameWire(f.keyName), fixed, algorithm, times, f.mac, tail, f.other]);
}

/** The byte length encodeTsigRecord gives for these names and sizes. */
export function tsigRecordLength(keyName: string, algorithm: string, macSize: number, otherSize: number): number {
  return canonicalNameWire(keyName).length + 10 + canonicalNameWire(algorithm).length + 10 + macSize + 6 + otherSize;
}
