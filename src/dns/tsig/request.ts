/**
 * The requests we sign ourselves (RFC 8945 §5.1), e.g. the NOTIFY sent to a secondary, and the
 * client's check of the signed reply (§5.4.1): its MAC covers our request's MAC, then the reply.
 */
import { readMessage, Section, WireFormatError } from '../wire-read';
import { algorithmFromWireName, algorithmWireName, macSize } from './algorithms';
import { FUDGE, hmac, lengthPrefixed, macMatches, messageWithoutTsig, minimumMacSize, tsigVariables } from './mac';
import { encodeTsigRecord, parseTsigRecord, TYPE_TSIG } from './record';
import { appendRecord } from './sign';
import type { SignedRequest, TsigKey, TsigRecord } from './types';

/** Signs a request we send (§5.1), e.g. a NOTIFY to a secondary. */
export function signRequest(msg: Buffer, key: TsigKey, nowSeconds: number): SignedRequest {
  const fields = {
    keyName: key.name,
    algorithm: algorithmWireName(key.algorithm),
    timeSigned: Math.floor(nowSeconds),
    fudge: FUDGE,
    error: 0,
    other: Buffer.alloc(0),
  };
  // §4.3.2: the message as sent, its own ID being the Original ID.
  const mac = hmac(key.algorithm, key.secret, [msg, tsigVariables(fields)]);
  const bytes = appendRecord(msg, encodeTsigRecord({ ...fields, mac, originalId: msg.readUInt16BE(0) }));
  return { bytes, verifyReply: (reply, now) => replyVerifies(reply, key, mac, now) };
}

/** The TSIG RR of a message: the last record, in the additional section, the only one. */
export function findTsig(msg: Buffer): TsigRecord | undefined {
  const records = readMessage(msg).records;
  const at = records.findIndex((r) => r.type === TYPE_TSIG);
  if (at < 0) return undefined;
  const rr = records[at];
  if (!rr || at !== records.length - 1 || rr.section !== Section.ADDITIONAL) throw new WireFormatError('TSIG not the last record');
  return parseTsigRecord(msg, rr.start, rr.rdEnd);
}

function replyVerifies(reply: Buffer, key: TsigKey, requestMac: Buffer, nowSeconds: number): boolean {
  let record: TsigRecord | undefined;
  try {
    record = findTsig(reply);
  } catch (err) {
    if (err instanceof WireFormatError) return false;
    throw err;
  }
  if (!record || record.error !== 0) return false;
  if (record.keyName !== key.name || algorithmFromWireName(record.algorithm) !== key.algorithm) return false;
  const size = record.mac.length;
  if (size > macSize(key.algorithm) || size < minimumMacSize(key.algorithm)) return false;
  const computed = hmac(key.algorithm, key.secret, [
    lengthPrefixed(requestMac),
    messageWithoutTsig(reply, record.start, record.originalId),
    tsigVariables(record),
  ]);
  return macMatches(computed, record.mac) && Math.abs(Math.floor(nowSeconds) - record.timeSigned) <= record.fudge;
}
