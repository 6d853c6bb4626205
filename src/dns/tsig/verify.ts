/**
 * The server's check of a signed request (RFC 8945 §5.2), in the RFC's order: key (§5.2.1), MAC
 * (§5.2.2, with the truncation rules of §5.2.2.1), time (§5.2.3), truncation policy (§5.2.4).
 */
import { algorithmFromWireName, macSize } from './algorithms';
import { hmac, macMatches, messageWithoutTsig, minimumMacSize, tsigVariables } from './mac';
import { TsigFormatError } from './record';
import { signedReplies, unsignedError } from './sign';
import type { TsigKey, TsigRecord, TsigVerdict } from './types';
import { TsigErrorCode } from './types';

/**
 * Checks a request's TSIG (RFC 8945 §5.2): `key` is the known key named by the record, undefined
 * when there is none (BADKEY). The algorithm must be the key's, the MAC must verify over the message
 * without its TSIG (ARCOUNT less one, the original ID), and the time within the fudge (§5.2.3).
 * Throws TsigFormatError (-> FORMERR) for a MAC Size §5.2.2.1 forbids. Our policy (§5.2.4) wants
 * the whole MAC: a truncated one that verifies gets BADTRUNC, as BIND and Knot answer by default.
 */
export function verifyRequest(msg: Buffer, record: TsigRecord, key: TsigKey | undefined, nowSeconds: number): TsigVerdict {
  // §5.2.1: an unknown key, or a known key used with another algorithm.
  if (!key || key.name !== record.keyName || algorithmFromWireName(record.algorithm) !== key.algorithm) {
    return { ok: false, error: TsigErrorCode.BADKEY, signer: unsignedError(record.keyName, record.algorithm, TsigErrorCode.BADKEY, record.timeSigned) };
  }
  const full = macSize(key.algorithm);
  // §5.2.2.1 rules 1 and 3: longer than the hash, or shorter than allowed: FORMERR.
  if (record.mac.length > full) throw new TsigFormatError('TSIG MAC longer than the hash');
  if (record.mac.length < minimumMacSize(key.algorithm)) throw new TsigFormatError('TSIG MAC shorter than RFC 8945 allows');
  const computed = hmac(key.algorithm, key.secret, [
    messageWithoutTsig(msg, record.start, record.originalId),
    tsigVariables({ ...record, keyName: key.name }),
  ]);
  if (!macMatches(computed, record.mac)) {
    return { ok: false, error: TsigErrorCode.BADSIG, signer: unsignedError(record.keyName, record.algorithm, TsigErrorCode.BADSIG, record.timeSigned) };
  }
  const now = Math.floor(nowSeconds);
  if (Math.abs(now - record.timeSigned) > record.fudge) {
    return { ok: false, error: TsigErrorCode.BADTIME, signer: signedReplies(key, record.mac, TsigErrorCode.BADTIME, record.timeSigned) };
  }
  if (record.mac.length < full) {
    return { ok: false, error: TsigErrorCode.BADTRUNC, signer: signedReplies(key, record.mac, TsigErrorCode.BADTRUNC, record.timeSigned) };
  }
  return { ok: true, key, signer: signedReplies(key, record.mac, 0, record.timeSigned) };
}
