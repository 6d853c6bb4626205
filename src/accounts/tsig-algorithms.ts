/**
 * The HMAC algorithms an account's TSIG key may use (RFC 8945 §6), with what each client calls
 * them. One table, so the CLI, the API and the settings snippets agree on names and lengths.
 */
import { displayText } from '../core/display';
import { BadTsigAlgorithmError } from '../core/errors';
import type { TsigAlgorithm } from '../store/types';

/** What we know of one algorithm. */
export interface TsigAlgorithmInfo {
  /**
   * Octets of the hash's output, and so of a new key's secret: RFC 8945 §6 says a key should be
   * at least as long as the hash output (RFC 2104 §3: shorter keys weaken the HMAC, longer ones
   * add nothing).
   */
  readonly hashBytes: number;
  /** The name in the TSIG RR (RFC 8945 §6 table), without the final dot: md5 keeps its historic name. */
  readonly wireName: string;
  /** cert-manager's `tsigAlgorithm` value; undefined when cert-manager has none (its rfc2136.go supportedAlgorithms). */
  readonly certManager: string | undefined;
}

/** Every algorithm offered, newest first as `help` lists them; hmac-md5 only for older clients (certbot's default). */
export const TSIG_ALGORITHMS: Readonly<Record<TsigAlgorithm, TsigAlgorithmInfo>> = {
  'hmac-sha256': { hashBytes: 32, wireName: 'hmac-sha256', certManager: 'HMACSHA256' },
  'hmac-sha512': { hashBytes: 64, wireName: 'hmac-sha512', certManager: 'HMACSHA512' },
  'hmac-sha384': { hashBytes: 48, wireName: 'hmac-sha384', certManager: undefined },
  'hmac-sha224': { hashBytes: 28, wireName: 'hmac-sha224', certManager: undefined },
  'hmac-sha1': { hashBytes: 20, wireName: 'hmac-sha1', certManager: 'HMACSHA1' },
  'hmac-md5': { hashBytes: 16, wireName: 'hmac-md5.sig-alg.reg.int', certManager: 'HMACMD5' },
};

/** The names in table order. */
export const TSIG_ALGORITHM_NAMES = Object.keys(TSIG_ALGORITHMS) as TsigAlgorithm[];

/** A new key's algorithm when none is named: mandatory to implement and recommended (RFC 8945 §6). */
export const DEFAULT_TSIG_ALGORITHM: TsigAlgorithm = 'hmac-sha256';

/** What an algorithm text longer than this can only be: no name in the table is near it. */
const MAX_ALGORITHM_TEXT = 64;

/**
 * The algorithm `text` names: any case, with or without the final dot, and md5 also by its wire
 * name `hmac-md5.sig-alg.reg.int`. BadTsigAlgorithmError naming the choices otherwise.
 */
export function parseTsigAlgorithm(text: string): TsigAlgorithm {
  const name = text.length > MAX_ALGORITHM_TEXT ? '' : text.trim().toLowerCase().replace(/\.$/, '');
  const found = TSIG_ALGORITHM_NAMES.find((a) => a === name || TSIG_ALGORITHMS[a].wireName === name);
  if (found === undefined) {
    throw new BadTsigAlgorithmError(`unknown TSIG algorithm "${displayText(text, 40)}": one of ${TSIG_ALGORITHM_NAMES.join(', ')}`);
  }
  return found;
}
