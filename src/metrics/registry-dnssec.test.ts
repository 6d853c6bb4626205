import { createMetrics } from './registry';

describe('DNSSEC metrics', () => {
  it('counts signatures, cache hits and signing time in the exposition', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.dnssecSignature(0.00003);
    metrics.dnssecSignature(0.002);
    for (let i = 0; i < 3; i++) metrics.dnssecCacheHit();
    const text = await metrics.render();
    expect(text).toMatch(/^acmedns_dnssec_signatures_total 2$/m);
    expect(text).toMatch(/^acmedns_dnssec_signature_cache_hits_total 3$/m);
    expect(text).toMatch(/^acmedns_dnssec_signing_seconds_bucket\{le="0.00001"\} 0$/m);
    expect(text).toMatch(/^acmedns_dnssec_signing_seconds_bucket\{le="0.00005"\} 1$/m);
    expect(text).toMatch(/^acmedns_dnssec_signing_seconds_bucket\{le="0.0025"\} 2$/m);
    expect(text).toMatch(/^acmedns_dnssec_signing_seconds_count 2$/m);
  });

  it('shows zeros before anything is signed', async () => {
    const text = await createMetrics({ processMetrics: false }).render();
    expect(text).toMatch(/^acmedns_dnssec_signatures_total 0$/m);
    expect(text).toMatch(/^acmedns_dnssec_signature_cache_hits_total 0$/m);
  });
});
