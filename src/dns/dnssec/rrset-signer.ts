/**
 * The RRset signer the answer path uses: canonical form, cache, one RRSIG per key of the current
 * ring (two during a double-signature rollover, RFC 6781 §4.1.2), metrics.
 */
import { RRType, type RData } from '../packet';
import { canonicalRRset } from './canonical';
import { signRRset } from './sign';
import { createSignatureCache, signatureCacheKey } from './signature-cache';
import type { KeyRing, RRsetSigner, RrsigData, SignatureTiming, SigningMetrics } from './types';

/** What the signer needs; time comes with each call (`sign(..., nowSeconds)`), never from here. */
export interface RRsetSignerDeps {
  /** The keys in use now (read on every call: a rollover or a new key set takes effect at once). */
  readonly keys: () => KeyRing;
  /** The zone apex: the signer name of every RRSIG. */
  readonly apex: string;
  readonly timing: SignatureTiming;
  /** How many RRsets' signatures each cache keeps (least recently used dropped first): answers, and NSECs apart. */
  readonly cacheSize: number;
  readonly metrics?: SigningMetrics | undefined;
}

/** A signer of RRsets with the keys of `deps.keys()`, caching by content. */
export function createRRsetSigner(deps: RRsetSignerDeps): RRsetSigner {
  // Two caches: a flood of names that do not exist (each answered with its own NSEC, compact
  // denial) pushes out only other NSECs, never the signatures of the accounts' TXT and the apex
  // RRsets that every other client is served: one address cannot make everyone's answers re-sign.
  const answers = createSignatureCache(deps.cacheSize, deps.timing.refresh);
  const denials = createSignatureCache(deps.cacheSize, deps.timing.refresh);
  return {
    sign(ownerLabels: readonly string[], type: number, ttl: number, data: readonly RData[], nowSeconds: number): readonly RrsigData[] {
      const ring = deps.keys();
      if (ring.keys.length === 0) return [];
      const rrset = canonicalRRset(ownerLabels, type, ttl, data);
      const key = signatureCacheKey(rrset, ring.version);
      const cache = type === RRType.NSEC ? denials : answers;
      const cached = cache.get(key, nowSeconds);
      if (cached !== undefined) {
        deps.metrics?.dnssecCacheHit();
        return cached;
      }
      const now = Math.floor(nowSeconds);
      // Inception backdated for validators whose clocks run behind ours (timing.inceptionOffset).
      const window = { inception: now - deps.timing.inceptionOffset, expiration: now + deps.timing.validity };
      const signatures = ring.keys.map((signingKey) => {
        const started = process.hrtime.bigint();
        const rrsig = signRRset(rrset, signingKey, deps.apex, window);
        deps.metrics?.dnssecSignature(Number(process.hrtime.bigint() - started) / 1e9);
        return rrsig;
      });
      cache.set(key, { signatures, ...window });
      return signatures;
    },
  };
}
