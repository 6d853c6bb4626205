/**
 * The HMAC algorithms of RFC 8945 §6 (Table 3) we implement, by the name the TSIG RR carries and by
 * the name the store and the config use (TsigAlgorithm). HMAC-MD5 keeps its historic wire name.
 */
import type { TsigAlgorithm } from '../../store/types';

/** How one algorithm is computed and named. */
export interface AlgorithmInfo {
  /** The name in the TSIG RR (RFC 8945 §6), lower-case, without the final dot. */
  readonly wireName: string;
  /** node:crypto's digest name. */
  readonly hash: string;
  /** The full MAC length in octets (the hash output). */
  readonly macSize: number;
}

/** Every algorithm we accept. */
export const ALGORITHMS: Readonly<Record<TsigAlgorithm, AlgorithmInfo>> = {
  'hmac-md5': { wireName: 'hmac-md5.sig-alg.reg.int', hash: 'md5', macSize: 16 },
  'hmac-sha1': { wireName: 'hmac-sha1', hash: 'sha1', macSize: 20 },
  'hmac-sha224': { wireName: 'hmac-sha224', hash: 'sha224', macSize: 28 },
  'hmac-sha256': { wireName: 'hmac-sha256', hash: 'sha256', macSize: 32 },
  'hmac-sha384': { wireName: 'hmac-sha384', hash: 'sha384', macSize: 48 },
  'hmac-sha512': { wireName: 'hmac-sha512', hash: 'sha512', macSize: 64 },
};

/** Every TsigAlgorithm. */
export const TSIG_ALGORITHMS = Object.keys(ALGORITHMS) as TsigAlgorithm[];

const byWireName = new Map<string, TsigAlgorithm>(TSIG_ALGORITHMS.map((a) => [ALGORITHMS[a].wireName, a]));

function bare(name: string): string {
  const lower = name.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * The algorithm a TSIG RR names (any case, final dot optional); undefined for names we do not
 * implement (the request then gets BADKEY, RFC 8945 §5.2.1). Only the registered names count.
 */
export function algorithmFromWireName(name: string): TsigAlgorithm | undefined {
  return byWireName.get(bare(name));
}

/** The name the TSIG RR carries for an algorithm (lower-case, no final dot). */
export function algorithmWireName(algorithm: TsigAlgorithm): string {
  return ALGORITHMS[algorithm].wireName;
}

/**
 * An algorithm as a person or a client's settings write it: `hmac-sha256`, `HMAC-SHA256.`,
 * `hmac-md5` or its wire name `hmac-md5.sig-alg.reg.int`; undefined for anything else.
 */
export function parseTsigAlgorithm(text: string): TsigAlgorithm | undefined {
  const name = bare(text);
  return (TSIG_ALGORITHMS as readonly string[]).includes(name) ? (name as TsigAlgorithm) : byWireName.get(name);
}
