/**
 * The HMAC algorithms of RFC 8945 §6 (Table 3) we implement: the one table of what each is on the
 * wire and in node:crypto, so the DNS server (dns/tsig), the accounts service (new keys, client
 * settings) and the config (`[transfer] tsig_algorithm`) cannot disagree on names or lengths.
 * Pure facts; how each client spells an algorithm stays with that client's settings.
 */

/**
 * An algorithm by the name people, the store and the config use: the TSIG RR's name, except that
 * hmac-md5 is carried on the wire by its historic name (hmac-md5.sig-alg.reg.int).
 */
export type TsigAlgorithm = 'hmac-md5' | 'hmac-sha1' | 'hmac-sha224' | 'hmac-sha256' | 'hmac-sha384' | 'hmac-sha512';

/** What one algorithm is. */
export interface TsigAlgorithmInfo {
  /** The name in the TSIG RR (RFC 8945 §6), lower-case, without the final dot. */
  readonly wireName: string;
  /** node:crypto's digest name. */
  readonly hash: string;
  /**
   * Octets of the hash's output: the full MAC, and a new key's secret (RFC 8945 §6 says a key
   * should be at least as long as the hash output; RFC 2104 §3: shorter keys weaken the HMAC,
   * longer ones add nothing).
   */
  readonly hashBytes: number;
}

/** Every algorithm, newest first as `help` and error messages list them; hmac-md5 only for older clients (certbot's default). */
export const TSIG_ALGORITHMS: Readonly<Record<TsigAlgorithm, TsigAlgorithmInfo>> = {
  'hmac-sha256': { wireName: 'hmac-sha256', hash: 'sha256', hashBytes: 32 },
  'hmac-sha512': { wireName: 'hmac-sha512', hash: 'sha512', hashBytes: 64 },
  'hmac-sha384': { wireName: 'hmac-sha384', hash: 'sha384', hashBytes: 48 },
  'hmac-sha224': { wireName: 'hmac-sha224', hash: 'sha224', hashBytes: 28 },
  'hmac-sha1': { wireName: 'hmac-sha1', hash: 'sha1', hashBytes: 20 },
  'hmac-md5': { wireName: 'hmac-md5.sig-alg.reg.int', hash: 'md5', hashBytes: 16 },
};

/** The names in table order. */
export const TSIG_ALGORITHM_NAMES = Object.keys(TSIG_ALGORITHMS) as readonly TsigAlgorithm[];

/** The algorithm when none is named: mandatory to implement and recommended (RFC 8945 §6). */
export const DEFAULT_TSIG_ALGORITHM: TsigAlgorithm = 'hmac-sha256';

const byWireName = new Map<string, TsigAlgorithm>(TSIG_ALGORITHM_NAMES.map((a) => [TSIG_ALGORITHMS[a].wireName, a]));

/** Lower-case (ASCII only: DNS names compare so, RFC 4343) and without one final dot. */
function bare(name: string): string {
  const lower = name.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * The algorithm a TSIG RR names (any case, final dot optional); undefined for names we do not
 * implement. Only the registered names count: `hmac-md5` alone is no wire name.
 */
export function tsigAlgorithmFromWireName(name: string): TsigAlgorithm | undefined {
  return byWireName.get(bare(name));
}

/**
 * The algorithm `text` names as a person or a client's settings write it: `hmac-sha256`,
 * `HMAC-SHA256.`, `hmac-md5` or its wire name `hmac-md5.sig-alg.reg.int`; undefined otherwise.
 */
export function findTsigAlgorithm(text: string): TsigAlgorithm | undefined {
  const name = bare(text);
  return (TSIG_ALGORITHM_NAMES as readonly string[]).includes(name) ? (name as TsigAlgorithm) : byWireName.get(name);
}
