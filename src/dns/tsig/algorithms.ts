/**
 * The algorithms under the names dns/tsig has always exported (callers and tests use them); the
 * facts themselves are core's one table (core/tsig-algorithms.ts). Unknown names are undefined
 * here, not errors: a request naming one gets BADKEY (RFC 8945 §5.2.1).
 */
import { findTsigAlgorithm, TSIG_ALGORITHM_NAMES, TSIG_ALGORITHMS as TABLE, tsigAlgorithmFromWireName, type TsigAlgorithm } from '../../core/tsig-algorithms';

/** Every TsigAlgorithm, in core's order (core's TSIG_ALGORITHM_NAMES; TSIG_ALGORITHMS is its table there). */
export const TSIG_ALGORITHMS: readonly TsigAlgorithm[] = TSIG_ALGORITHM_NAMES;

/**
 * The algorithm a TSIG RR names (any case, final dot optional); undefined for names we do not
 * implement (the request then gets BADKEY, RFC 8945 §5.2.1). Only the registered names count.
 */
export function algorithmFromWireName(name: string): TsigAlgorithm | undefined {
  return tsigAlgorithmFromWireName(name);
}

/** The name the TSIG RR carries for an algorithm (lower-case, no final dot). */
export function algorithmWireName(algorithm: TsigAlgorithm): string {
  return TABLE[algorithm].wireName;
}

/**
 * An algorithm as a person or a client's settings write it: `hmac-sha256`, `HMAC-SHA256.`,
 * `hmac-md5` or its wire name `hmac-md5.sig-alg.reg.int`; undefined for anything else.
 */
export function parseTsigAlgorithm(text: string): TsigAlgorithm | undefined {
  return findTsigAlgorithm(text);
}

/** The full MAC length in octets: the hash's output. */
export function macSize(algorithm: TsigAlgorithm): number {
  return TABLE[algorithm].hashBytes;
}

/** node:crypto's digest name. */
export function hashName(algorithm: TsigAlgorithm): string {
  return TABLE[algorithm].hash;
}
