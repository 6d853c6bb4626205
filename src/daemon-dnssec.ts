/**
 * Part of the composition root (daemon.ts): online DNSSEC (`[dnssec]`, issue 11). When it is on,
 * the keys are read (or, on the first start, a CSK is generated and claimed) before DNS listens,
 * so the first answer is already signed; the signer and the answer security the DNS server applies
 * are built on them, and the key set is polled for rollover steps until stop.
 */
import type { Config } from './config/types';
import { createAnswerSecurity, createKeySource, createRRsetSigner, type AnswerSecurity, type KeyRing } from './dns/dnssec';
import type { Logger } from './log';
import type { DnssecMetrics } from './metrics/types';
import type { DnssecKeyPort } from './store';

/** The DNSSEC part while it runs. */
export interface DnssecPart {
  /** What the DNS server secures answers with (`DnsServerDeps.dnssec`). */
  readonly security: AnswerSecurity;
  /** Stops polling the key set (before the store closes). */
  stop(): void;
}

/**
 * Starts the key source and builds the signing on it; undefined when `[dnssec]` is off (then no key
 * set is read or stored, and answers are exactly those of an unsigned zone). Rejects when the store
 * cannot be reached or holds a key set that cannot be used: better not to start than to serve a
 * zone whose DS at the parent no longer matches.
 */
export async function startDnssecPart(config: Config, store: DnssecKeyPort, logger: Logger, metrics?: DnssecMetrics): Promise<DnssecPart | undefined> {
  const d = config.dnssec;
  if (!d.enabled) return undefined;
  const apex = config.dns.domain;
  const source = createKeySource({ store, algorithm: d.algorithm, pollSeconds: d.keyPoll, apex, logger });
  await source.start();
  const keys = (): KeyRing => source.current();
  const signer = createRRsetSigner({ keys, apex, timing: d.timing, cacheSize: d.signatureCacheSize, metrics });
  return {
    security: createAnswerSecurity({ signer, keys, dnskeyTtl: d.dnskeyTtl }),
    stop: () => source.stop(),
  };
}
