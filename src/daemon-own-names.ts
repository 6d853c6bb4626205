/**
 * Part of the composition root: where the API's own certificate (ACME) publishes its DNS-01
 * values, which is all the DNS server needs to know of the ACME part. Apart from
 * daemon-certificate.ts, and importing the two pure helpers directly rather than acme/index, so a
 * DNS worker (src/workers) does not load the ACME client: it starts about 0.8 s sooner.
 */
import { challengeRecordName } from './acme/order/challenge';
import { certificateNames } from './acme/order/directory';
import type { Config } from './config/types';

/** True for the TLS modes in which the server obtains its own certificate. */
export function usesOwnCertificate(config: Config): boolean {
  return config.api.tls === 'letsencrypt' || config.api.tls === 'letsencryptstaging' || config.api.tls === 'acme';
}

/**
 * Where the manager publishes its DNS-01 values in our zone (none without an own certificate):
 * the DNS server answers their parent names NODATA while a value is there (RFC 8020 §2).
 */
export function ownChallengeNames(config: Config): string[] {
  if (!usesOwnCertificate(config)) return [];
  return certificateNames(config.dns.domain, config.api.apiDomain).map((n) => challengeRecordName(n, config.dns.domain));
}
