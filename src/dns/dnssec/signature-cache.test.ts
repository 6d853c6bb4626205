import { createSignatureCache, signatureCacheKey } from './signature-cache';
import type { CanonicalRRset } from './canonical';

const entry = { signatures: [], inception: 0, expiration: 1000 };

describe('createSignatureCache', () => {
  it('keeps at most `size` entries, dropping the least recently used', () => {
    const cache = createSignatureCache(2, 100);
    cache.set('a', entry);
    cache.set('b', entry);
    expect(cache.get('a', 10)).toBeDefined(); // touched: b is now the oldest
    cache.set('c', entry);
    expect(cache.size).toBe(2);
    expect(cache.get('b', 10)).toBeUndefined();
    expect(cache.get('a', 10)).toBeDefined();
    expect(cache.get('c', 10)).toBeDefined();
  });

  it('serves an entry only while more than `refresh` seconds remain, then forgets it', () => {
    const cache = createSignatureCache(10, 100);
    cache.set('a', entry);
    expect(cache.get('a', 899)).toBeDefined();
    expect(cache.get('a', 900)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not serve an entry whose inception is still ahead (the clock stepped back)', () => {
    const cache = createSignatureCache(10, 100);
    cache.set('a', { ...entry, inception: 50 });
    expect(cache.get('a', 49)).toBeUndefined();
  });

  it('keeps nothing with size 0', () => {
    const cache = createSignatureCache(0, 100);
    cache.set('a', entry);
    expect(cache.size).toBe(0);
  });
});

describe('signatureCacheKey', () => {
  const rrset: CanonicalRRset = { owner: Buffer.from([1, 0x61, 0]), labels: 1, type: 16, ttl: 1, rdatas: [Buffer.from('ab'), Buffer.from('c')] };

  it('tells apart RDATA that only differ in where one ends', () => {
    const moved = { ...rrset, rdatas: [Buffer.from('a'), Buffer.from('bc')] };
    expect(signatureCacheKey(moved, 1)).not.toBe(signatureCacheKey(rrset, 1));
  });

  it('changes with the ring version, the TTL and the type', () => {
    const base = signatureCacheKey(rrset, 1);
    expect(signatureCacheKey(rrset, 2)).not.toBe(base);
    expect(signatureCacheKey({ ...rrset, ttl: 2 }, 1)).not.toBe(base);
    expect(signatureCacheKey({ ...rrset, type: 99 }, 1)).not.toBe(base);
    expect(signatureCacheKey({ ...rrset }, 1)).toBe(base);
  });
});
