/**
 * What the parent zone holds for us: the DS records a resolver returned, matched against our keys.
 * A DS names a key by tag and algorithm and proves it by a digest over the owner name and the
 * DNSKEY RDATA (RFC 4034 §5.1.4); the tag alone can collide, so a DS matches only when the digest
 * computed from our key equals the one seen. SHA-1 (1), SHA-256 (2) and SHA-384 (4) are checked
 * (RFC 3658, RFC 4509, RFC 6605 §2), so a parent that converted our SHA-256 line is still read right.
 */
import { dsDigest, type SigningKey } from './keys';

/** One DS record's RDATA as seen at the parent (RFC 4034 §5.1). */
export interface DsRecord {
  readonly keyTag: number;
  readonly algorithm: number;
  readonly digestType: number;
  /** Lower-case hex. */
  readonly digest: string;
}

/** What a resolver said the parent holds: the DS RRset (possibly empty) and how long it is cached. */
export interface ParentDs {
  readonly digests: readonly DsRecord[];
  /** The DS RRset's TTL; for an empty answer the negative TTL (RFC 2308 §5), 0 when unknown. */
  readonly ttl: number;
}

/** The hash of each DS digest type we can check. */
const DIGEST_HASH: Readonly<Record<number, 'sha1' | 'sha256' | 'sha384'>> = { 1: 'sha1', 2: 'sha256', 4: 'sha384' };

/** True when `ds` is a DS of `key` at `apex`: same tag, algorithm and digest. */
export function dsMatchesKey(apex: string, key: SigningKey, ds: DsRecord): boolean {
  const hash = DIGEST_HASH[ds.digestType];
  if (hash === undefined || ds.keyTag !== key.tag || ds.algorithm !== key.algorithm) return false;
  return dsDigest(apex, key, hash).toString('hex') === ds.digest.toLowerCase();
}

/** True when the parent holds a DS of `key`. */
export function parentHolds(apex: string, parent: ParentDs, key: SigningKey): boolean {
  return parent.digests.some((ds) => dsMatchesKey(apex, key, ds));
}

/** How the parent's DS RRset stands against the keys that belong there. */
export type ParentMatch =
  /** Every key that belongs at the parent has its DS there. */
  | 'match'
  /** No DS at all: the zone is insecure (unsigned in the eyes of validators), not bogus. */
  | 'missing'
  /** DS records are there, but none of ours: validators find the zone bogus. */
  | 'only-other-keys'
  /** Some of ours are there (the zone validates), but not every one that belongs. */
  | 'partial';

/** Compares the parent's DS RRset with `wanted` (the keys whose DS belongs at the parent now). */
export function parentMatch(apex: string, parent: ParentDs, wanted: readonly SigningKey[]): ParentMatch {
  if (parent.digests.length === 0) return 'missing';
  const held = wanted.filter((k) => parentHolds(apex, parent, k));
  if (held.length === 0) return 'only-other-keys';
  return held.length === wanted.length ? 'match' : 'partial';
}
