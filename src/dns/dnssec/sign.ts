/**
 * One RRSIG over one RRset with one key. ECDSA P-256 signatures are r||s, 32 octets each
 * (RFC 6605 §4), not DER; Ed25519 signatures are the 64 octets of RFC 8032 (RFC 8080 §4).
 */
import crypto from 'node:crypto';
import type { CanonicalRRset } from './canonical';
import { signedData } from './canonical';
import type { SigningKey } from './keys';
import { rrsigRdataHead } from './rdata';
import type { RrsigData } from './types';

/** When a signature holds, in Unix seconds (RFC 4034 §3.1.5). */
export interface SignatureWindow {
  readonly inception: number;
  readonly expiration: number;
}

/** The signature over `data` with `key`'s algorithm. */
export function signBytes(key: SigningKey, data: Buffer): Buffer {
  if (key.algorithm === 13) return crypto.sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  // Ed25519 hashes inside the algorithm: no digest is named (RFC 8032 §5.1.6).
  return crypto.sign(null, data, key.privateKey);
}

/** The RRSIG over `rrset` by `key`, signer name `apex` (the zone apex, RFC 4035 §2.2). */
export function signRRset(rrset: CanonicalRRset, key: SigningKey, apex: string, window: SignatureWindow): RrsigData {
  const fields = {
    type: 'RRSIG' as const,
    typeCovered: rrset.type,
    algorithm: key.algorithm,
    labels: rrset.labels,
    originalTtl: rrset.ttl,
    expiration: window.expiration,
    inception: window.inception,
    keyTag: key.tag,
    signer: apex,
  };
  return { ...fields, signature: signBytes(key, signedData(rrsigRdataHead(fields), rrset)) };
}
