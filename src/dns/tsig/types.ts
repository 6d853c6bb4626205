/**
 * The types of the TSIG API agreed for issue 10 (RFC 8945), in a file of their own so the modules
 * of tsig/ share them without importing index.ts.
 */
import type { TsigAlgorithm } from '../../core/tsig-algorithms';

/** A key the server verifies and signs with. */
export interface TsigKey {
  /** Lower-case, without the final dot. */
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  readonly secret: Buffer;
}

/** The fields of a TSIG RR (RFC 8945 §4.2): what we read from a message and what we write. */
export interface TsigFields {
  /** The key name, lower-case, without the final dot (RFC 1035 §5.1 escapes for odd bytes). */
  readonly keyName: string;
  /** The algorithm name, lower-case, without the final dot. */
  readonly algorithm: string;
  /** Seconds since the epoch (48 bits). */
  readonly timeSigned: number;
  readonly fudge: number;
  readonly mac: Buffer;
  readonly originalId: number;
  readonly error: number;
  readonly other: Buffer;
}

/** The TSIG RR of a message (RFC 8945 §4.2), the last record of the additional section. */
export interface TsigRecord extends TsigFields {
  /** Offset of the RR's first byte (its owner name) in the message. */
  readonly start: number;
}

/** TSIG error codes (RFC 8945 §3; carried in the TSIG RR's Error field). */
export const TsigErrorCode = { BADSIG: 16, BADKEY: 17, BADTIME: 18, BADTRUNC: 22 } as const;

/** The RCODE of a refused TSIG (RFC 8945 §5.2): NOTAUTH. */
export const RCODE_NOTAUTH = 9;

/** Signs what the server sends back for one request. */
export interface TsigSigner {
  /** Bytes the TSIG RR adds to a response: encode the response within its size limit minus this. */
  readonly overhead: number;
  /**
   * Appends the TSIG RR to an encoded response and increments ARCOUNT. The first call signs with
   * the request's MAC (§5.3); each later call continues a TCP stream (§5.3.1: prior MAC, the
   * message, timers only). For a refused request (BADSIG, BADKEY) the RR has an empty MAC (§5.3.2);
   * for BADTIME it is signed and carries the server's time in Other Data (§5.2.3).
   */
  sign(response: Buffer, nowSeconds: number): Buffer;
}

/** The outcome of checking a signed request. */
export type TsigVerdict =
  | { readonly ok: true; readonly key: TsigKey; readonly signer: TsigSigner }
  | {
      readonly ok: false;
      /** BADKEY, BADSIG, BADTIME or BADTRUNC: answer NOTAUTH, signed by `signer`. */
      readonly error: number;
      readonly signer: TsigSigner;
    };

/** A request we sign (the NOTIFY we send), and the check of its reply. */
export interface SignedRequest {
  readonly bytes: Buffer;
  /** True when `reply` carries a valid TSIG over our request's MAC (RFC 8945 §5.3). */
  verifyReply(reply: Buffer, nowSeconds: number): boolean;
}
