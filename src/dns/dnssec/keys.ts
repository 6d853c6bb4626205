/**
 * Zone signing keys: generated, read back from their PKCS#8 PEM, and described as the DNSKEY,
 * key tag and DS the parent needs. One combined signing key (CSK, flags 257) signs everything
 * (RFC 6781 §3.1.1: a single key is simpler and as safe for an online-signed zone).
 */
import crypto, { type KeyObject } from 'node:crypto';
import type { RData } from '../packet';
import { dnskeyRdata, wireNameOf } from './rdata';

/** The algorithms we sign with (RFC 8624 §3.1: 13 and 15 are the recommended ones). */
export const DNSSEC_ALGORITHMS = {
  /** ECDSA P-256 with SHA-256 (RFC 6605): the default, understood by every validator. */
  ecdsap256sha256: 13,
  /** Ed25519 (RFC 8080). */
  ed25519: 15,
} as const;

/** A configured algorithm's name. */
export type DnssecAlgorithmName = keyof typeof DNSSEC_ALGORITHMS;

/** An algorithm number we sign with. */
export type DnssecAlgorithm = (typeof DNSSEC_ALGORITHMS)[DnssecAlgorithmName];

/** DNSKEY flags of a CSK: Zone Key (bit 7) and Secure Entry Point (bit 15) (RFC 4034 §2.1.1). */
export const CSK_FLAGS = 257;

/** A key ready to sign with. */
export interface SigningKey {
  readonly algorithm: DnssecAlgorithm;
  /** RFC 4034 Appendix B. */
  readonly tag: number;
  readonly dnskey: Extract<RData, { type: 'DNSKEY' }>;
  readonly privateKey: KeyObject;
}

/** True for an algorithm number we sign with. */
export function isDnssecAlgorithm(n: number): n is DnssecAlgorithm {
  return n === 13 || n === 15;
}

/** A new private key for `algorithm`, as PKCS#8 PEM (how the store keeps it). */
export function generatePrivateKeyPem(algorithm: DnssecAlgorithm): string {
  const pair = algorithm === 13 ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }) : crypto.generateKeyPairSync('ed25519');
  return pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

function base64url(text: string | undefined): Buffer {
  if (text === undefined) throw new Error('public key component missing');
  return Buffer.from(text, 'base64url');
}

/** The DNSKEY public key field: P-256 is X then Y, 32 octets each (RFC 6605 §4); Ed25519 the 32-octet key (RFC 8080 §3). */
function publicKeyField(privateKey: KeyObject, algorithm: DnssecAlgorithm): Buffer {
  const jwk = crypto.createPublicKey(privateKey).export({ format: 'jwk' });
  if (algorithm === 13) {
    if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') throw new Error('the key is not an ECDSA P-256 key');
    return Buffer.concat([base64url(jwk.x), base64url(jwk.y)]);
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') throw new Error('the key is not an Ed25519 key');
  return base64url(jwk.x);
}

/** The key tag of a DNSKEY RDATA (RFC 4034 Appendix B). */
export function keyTag(rdata: Buffer): number {
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? (rdata[i] as number) : (rdata[i] as number) << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

/** Reads a stored key; throws when the PEM is not a key of `algorithm`. */
export function signingKeyFromPem(pem: string, algorithm: DnssecAlgorithm): SigningKey {
  const privateKey = crypto.createPrivateKey(pem);
  const dnskey = { type: 'DNSKEY' as const, flags: CSK_FLAGS, algorithm, publicKey: publicKeyField(privateKey, algorithm) };
  return { algorithm, tag: keyTag(dnskeyRdata(dnskey)), dnskey, privateKey };
}

/**
 * The DS digest (RFC 4034 §5.1.4): over the owner's canonical wire name and the DNSKEY RDATA; by
 * SHA-256 (digest type 2, RFC 4509 §2.1) unless another hash is named (reading a parent's DS).
 */
export function dsDigest(apex: string, key: SigningKey, hash: 'sha1' | 'sha256' | 'sha384' = 'sha256'): Buffer {
  return crypto.createHash(hash).update(wireNameOf(apex)).update(dnskeyRdata(key.dnskey)).digest();
}

/** The DS line for the parent, as `keymgr <zone> ds` prints it: `<zone>. DS <tag> <alg> 2 <HEX>`. */
export function dsLine(apex: string, key: SigningKey): string {
  return `${apex}. DS ${key.tag} ${key.algorithm} 2 ${dsDigest(apex, key).toString('hex').toUpperCase()}`;
}

/** The DNSKEY line (zone-file form). */
export function dnskeyLine(apex: string, key: SigningKey): string {
  return `${apex}. DNSKEY ${CSK_FLAGS} 3 ${key.algorithm} ${key.dnskey.publicKey.toString('base64')}`;
}
