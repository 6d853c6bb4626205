/**
 * Signatures kept by the content of the RRset they cover: the same owner, type, TTL, RDATA and
 * key ring give the same RRSIGs until they come close to expiring. Static RRsets (SOA, NS, DNSKEY)
 * are then signed about once per refresh period, and a TXT RRset once per set of values.
 * Bounded: the least recently used entry goes first, so a flood of distinct names (every NXDOMAIN
 * has its own NSEC) cannot grow memory without limit.
 */
import type { CanonicalRRset } from './canonical';
import type { RrsigData } from './types';

/** The signatures cached for one RRset, and the window they share. */
export interface CachedSignatures {
  readonly signatures: readonly RrsigData[];
  readonly inception: number;
  readonly expiration: number;
}

/** A bounded cache of signatures by RRset content. */
export interface SignatureCache {
  /** The signatures for `key` when more than `refresh` seconds of their validity remain at `nowSeconds`. */
  get(key: string, nowSeconds: number): readonly RrsigData[] | undefined;
  /** Keeps `entry` for `key`, dropping the least recently used entry beyond the bound. */
  set(key: string, entry: CachedSignatures): void;
  /** How many entries are held. */
  readonly size: number;
}

/**
 * The cache key of an RRset signed with ring `version`: the canonical bytes themselves (no hash,
 * so no two contents can share a key), each RDATA prefixed by its length so none can run into the next.
 */
export function signatureCacheKey(rrset: CanonicalRRset, version: number): string {
  const head = Buffer.alloc(14);
  head.writeDoubleBE(version, 0);
  head.writeUInt16BE(rrset.type, 8);
  head.writeUInt32BE(rrset.ttl >>> 0, 10);
  const parts: Buffer[] = [head, rrset.owner];
  for (const rdata of rrset.rdatas) {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(rdata.length, 0);
    parts.push(length, rdata);
  }
  return Buffer.concat(parts).toString('latin1');
}

/** A cache of at most `size` entries (0: nothing kept) that serves signatures while more than `refresh` seconds remain. */
export function createSignatureCache(size: number, refresh: number): SignatureCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, CachedSignatures>();
  return {
    get(key, nowSeconds) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entries.delete(key);
      // Stale (or made "in the future" by a clock stepped back): dropped, to be signed again.
      if (entry.expiration - nowSeconds <= refresh || entry.inception > nowSeconds) return undefined;
      entries.set(key, entry);
      return entry.signatures;
    },
    set(key, entry) {
      if (size <= 0) return;
      entries.delete(key);
      entries.set(key, entry);
      while (entries.size > size) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
