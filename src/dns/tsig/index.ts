/**
 * TSIG (RFC 8945): verifying signed requests and signing responses, for RFC 2136 UPDATE, signed
 * queries (certbot's zone search), zone transfers and the NOTIFY we send. Pure functions over
 * message bytes and node:crypto HMACs; the keys come from the caller (the store, the config).
 *
 * API agreed for issue 10 (the helpers build against it); the bodies live in the files beside.
 */
export type { TsigAlgorithm } from '../../core/tsig-algorithms';
export type { SignedRequest, TsigKey, TsigRecord, TsigSigner, TsigVerdict } from './types';
export { RCODE_NOTAUTH, TsigErrorCode } from './types';
export { parseTsigRecord, TsigFormatError, TYPE_TSIG } from './record';
export { verifyRequest } from './verify';
export { findTsig, signRequest } from './request';
export { algorithmFromWireName, algorithmWireName, parseTsigAlgorithm, TSIG_ALGORITHMS } from './algorithms';
