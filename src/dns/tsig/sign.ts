/**
 * Signing what the server sends back to a signed request (RFC 8945 §5.3): the first message over
 * the request's MAC, later messages of a TCP stream over the prior MAC (§5.3.1), and the error
 * replies of §5.3.2 (BADSIG, BADKEY: an empty MAC; BADTIME, BADTRUNC: signed).
 */
import { algorithmWireName, macSize } from './algorithms';
import { encodeTsigRecord, tsigRecordLength } from './record';
import { FUDGE, hmac, lengthPrefixed, timers, tsigVariables, u48 } from './mac';
import type { TsigKey, TsigSigner } from './types';
import { TsigErrorCode } from './types';

/** Appends a TSIG RR to a message and counts it in ARCOUNT. */
export function appendRecord(msg: Buffer, rr: Buffer): Buffer {
  const out = Buffer.concat([msg, rr]);
  const arcount = out.readUInt16BE(10);
  if (arcount === 0xffff) throw new Error('ARCOUNT full: no room for the TSIG RR');
  out.writeUInt16BE(arcount + 1, 10);
  return out;
}

/** A signer for a request that verified, or failed only on time or truncation (signed replies). */
export function signedReplies(key: TsigKey, requestMac: Buffer, error: number, requestTime: number): TsigSigner {
  const algorithm = algorithmWireName(key.algorithm);
  // §5.2.3: a BADTIME reply keeps the request's Time Signed and tells our time in Other Data.
  const badTime = error === TsigErrorCode.BADTIME;
  const otherSize = badTime ? 6 : 0;
  let prior: Buffer | undefined;
  return {
    overhead: tsigRecordLength(key.name, algorithm, macSize(key.algorithm), otherSize),
    sign(response, nowSeconds) {
      const now = Math.floor(nowSeconds);
      const originalId = response.readUInt16BE(0);
      if (prior) {
        // §5.3.1: a later message of the stream covers the prior MAC, itself and the timers.
        const mac = hmac(key.algorithm, key.secret, [lengthPrefixed(prior), response, timers(now, FUDGE)]);
        prior = mac;
        const rr = encodeTsigRecord({ keyName: key.name, algorithm, timeSigned: now, fudge: FUDGE, mac, originalId, error: 0, other: Buffer.alloc(0) });
        return appendRecord(response, rr);
      }
      const fields = {
        keyName: key.name,
        algorithm,
        timeSigned: badTime ? requestTime : now,
        fudge: FUDGE,
        error,
        other: badTime ? u48(now) : Buffer.alloc(0),
      };
      // §4.3.1: the first reply covers the request's MAC (as received, truncated or not).
      const mac = hmac(key.algorithm, key.secret, [lengthPrefixed(requestMac), response, tsigVariables(fields)]);
      prior = mac;
      return appendRecord(response, encodeTsigRecord({ ...fields, mac, originalId }));
    },
  };
}

/**
 * A signer for a request whose key or MAC failed (BADKEY, BADSIG): the reply carries a TSIG RR
 * naming the request's key and algorithm with an empty MAC, never a signature (§5.3.2). Its Time
 * Signed is the request's (as Knot's): a client then reports the error itself, where our time
 * would make BIND's dig report a clock skew instead when the two clocks differ.
 */
export function unsignedError(keyName: string, algorithm: string, error: number, requestTime: number): TsigSigner {
  return {
    overhead: tsigRecordLength(keyName, algorithm, 0, 0),
    sign(response) {
      const rr = encodeTsigRecord({
        keyName,
        algorithm,
        timeSigned: requestTime,
        fudge: FUDGE,
        mac: Buffer.alloc(0),
        originalId: response.readUInt16BE(0),
        error,
        other: Buffer.alloc(0),
      });
      return appendRecord(response, rr);
    },
  };
}
