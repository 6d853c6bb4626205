/**
 * The shapes the DNSSEC parts share: the keys in use (KeyRing), the signature times, the key set
 * document kept in the store, and what the DNS handler calls to secure an answer.
 */
import type { RData, Question } from '../packet';
import type { Answer } from '../answer';
import type { RRset, Zone } from '../zone';
import type { DnssecAlgorithm, SigningKey } from './keys';

/**
 * The keys the zone uses now. Every key is published in the apex DNSKEY RRset and signs every
 * RRset: one key normally, two during a rollover (double-signature, RFC 6781 §4.1.2).
 */
export interface KeyRing {
  readonly keys: readonly SigningKey[];
  /** The store's version of the key set this came from (a change of it means new keys). */
  readonly version: number;
}

/** Signature times in seconds (`[dnssec]`), in the spirit of Knot's defaults. */
export interface SignatureTiming {
  /** How long a signature is valid from now (Knot's rrsig-lifetime: 14 days). */
  readonly validity: number;
  /** A cached signature is made again when less than this remains of its validity. */
  readonly refresh: number;
  /** Inception is backdated by this for validators whose clocks run behind (one hour). */
  readonly inceptionOffset: number;
}

/** An RRSIG's RDATA. */
export type RrsigData = Extract<RData, { type: 'RRSIG' }>;

/** What made and cached signatures report (metrics/types DnssecMetrics has the same shape). */
export interface SigningMetrics {
  /** One signature made, taking `seconds`. */
  dnssecSignature(seconds: number): void;
  /** One signature served from the cache. */
  dnssecCacheHit(): void;
}

/**
 * Signs RRsets with every key of the current ring, caching by content: the same owner, type, TTL
 * and RDATA get the cached signatures until less than `refresh` of their validity remains.
 */
export interface RRsetSigner {
  /**
   * The RRSIG RDATA (one per key) over the RRset at `ownerLabels` (wire labels, any case: the
   * signature covers the canonical lower-case form, RFC 4034 §6.2).
   */
  sign(ownerLabels: readonly string[], type: number, ttl: number, data: readonly RData[], nowSeconds: number): readonly RrsigData[];
}

/** What the DNS handler uses when DNSSEC is on. */
export interface AnswerSecurity {
  /** The apex DNSKEY RRset of the current keys: zone data, served whether or not DO is set. */
  dnskeys(): RRset;
  /**
   * The answer to a query with DO set (RFC 3225), secured: RRSIGs over every authoritative RRset,
   * and the denial (compact NSEC, RFC 9824) for negative answers. Answers outside the zone and
   * refusals come back unchanged.
   */
  secure(answer: Answer, question: Question, zone: Zone, nowSeconds: number): Answer;
}

/** A key's part in a rollover; outside a rollover the one key is `active`. */
export type KeyRole = 'active' | 'incoming' | 'retiring';

/** One key as the store keeps it (in the key set document). */
export interface StoredZoneKey {
  readonly algorithm: DnssecAlgorithm;
  /** PKCS#8 PEM: protected like the ACME account key (the database is a key file). */
  readonly privateKeyPem: string;
  /** Unix seconds. */
  readonly createdAt: number;
  readonly role: KeyRole;
}

/**
 * Where a CSK rollover (double-signature) stands; times are Unix seconds.
 * - `await-new-ds`: the incoming key is published and signing since `startedAt`; its DS may go to
 *   the parent from `dsAllowedAt` (DNSKEY TTL and the zone's largest TTL plus the propagation
 *   delay later, so every cache holding our DNSKEY RRset holds the new key).
 * - `await-old-ds-removal`: the new DS is at the parent (seen at `stepAt`), the old key is retiring;
 *   `oldDsGoneAt` is when the parent was first seen without the old DS and `removeAllowedAt` when
 *   the old key may go (that plus the DS TTL seen and the propagation delay).
 */
export type RolloverState =
  | { readonly phase: 'await-new-ds'; readonly startedAt: number; readonly dsAllowedAt: number }
  | {
      readonly phase: 'await-old-ds-removal';
      readonly startedAt: number;
      readonly stepAt: number;
      readonly oldDsGoneAt?: number | undefined;
      readonly removeAllowedAt?: number | undefined;
    };

/** The zone's key set as stored (JSON, one document per zone, replaced by compare-and-set). */
export interface KeysetDocument {
  readonly keys: readonly StoredZoneKey[];
  readonly rollover?: RolloverState | undefined;
}
