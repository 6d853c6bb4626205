/**
 * `[dnssec]` -> its slice: online signing of the zone (issue 11; acme-dns has none). Off by
 * default. The times follow Knot's defaults for automatic signing: signatures valid 14 days
 * (rrsig-lifetime), made again when 7 remain (rrsig-refresh), inception backdated an hour for
 * validators whose clocks run behind (Knot: 90 minutes; BIND: one hour).
 */
import { duration, int, flag, oneOf, section } from './fields';

/** The algorithms by their config names, and the numbers they stand for (RFC 8624 §3.1: 13 and 15 recommended). */
const ALGORITHMS = { ecdsap256sha256: 13, ed25519: 15 } as const;

/** RRSIG times are 32-bit serial arithmetic (RFC 4034 §3.1.5): keep every span far below 68 years. */
const YEAR = 365 * 86400;

const dnssecKeys = {
  enabled: flag().default(false),
  // Knot's names for them (algorithm = ecdsap256sha256 | ed25519); RFC 8624's numbers also accepted.
  algorithm: oneOf(['ecdsap256sha256', 'ed25519'] as const, {
    aliases: { '13': 'ecdsap256sha256', '15': 'ed25519', 'ecdsa-p256-sha256': 'ecdsap256sha256' },
    empty: 'ecdsap256sha256',
  }).default('ecdsap256sha256'),
  signature_validity: duration(60, YEAR).default(14 * 86400),
  signature_refresh: duration(1, YEAR).default(7 * 86400),
  inception_offset: duration(0, 7 * 86400).default(3600),
  // The DNSKEY RRset's TTL; a rollover waits for it (and the propagation delay) before each step.
  dnskey_ttl: int(1, 7 * 86400).default(3600),
  // How often each instance reads the key set for a rollover step taken elsewhere (the CLI, another instance).
  key_poll: duration(1, 3600).default(5),
  // How long a change takes to reach every instance and secondary; rollover steps wait for it.
  propagation_delay: duration(0, 7 * 86400).default(3600),
  // Signed RRsets kept (a few hundred bytes each), in each of two caches (answers, and the
  // denials' NSECs apart: a flood of missing names cannot push the accounts' TXT signatures out).
  signature_cache_size: int(1, 10_000_000).default(100_000),
};

/** The `[dnssec]` section's schema. */
export const dnssecSection = section('dnssec', dnssecKeys)
  .superRefine((d, ctx) => {
    // A signature made again only after it expired (or at its last second) leaves answers bogus.
    if (d.signature_refresh >= d.signature_validity) {
      ctx.addIssue({
        code: 'custom',
        path: ['signature_refresh'],
        input: d.signature_refresh,
        message: `must be less than signature_validity (${d.signature_validity} s), got ${d.signature_refresh} s`,
      });
    }
    if (d.inception_offset >= d.signature_validity) {
      ctx.addIssue({
        code: 'custom',
        path: ['inception_offset'],
        input: d.inception_offset,
        message: `must be less than signature_validity (${d.signature_validity} s), got ${d.inception_offset} s`,
      });
    }
  })
  .transform((d) => ({
    /** Sign answers to queries with the DO bit, and serve the apex DNSKEY RRset. */
    enabled: d.enabled,
    /** The algorithm of a key generated here (13 ECDSA P-256 SHA-256, 15 Ed25519); a stored key keeps its own. */
    algorithm: ALGORITHMS[d.algorithm],
    /** Signature times, in seconds. */
    timing: {
      /** How long a signature is valid from now. */
      validity: d.signature_validity,
      /** A cached signature is made again when less than this remains of its validity. */
      refresh: d.signature_refresh,
      /** Inception is backdated by this. */
      inceptionOffset: d.inception_offset,
    },
    /** TTL of the apex DNSKEY RRset, in seconds. */
    dnskeyTtl: d.dnskey_ttl,
    /** Seconds between reads of the stored key set. */
    keyPoll: d.key_poll,
    /** Seconds a rollover step waits beyond the TTLs for every instance and cache to catch up. */
    propagationDelay: d.propagation_delay,
    /** Signed RRsets cached at most, in each of the two caches (answers; denials' NSECs). */
    signatureCacheSize: d.signature_cache_size,
  }));
