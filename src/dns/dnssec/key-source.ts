/**
 * Where the signing keys come from: the store's key set. At start it is read, or (first start with
 * DNSSEC on) a new CSK is claimed: of instances starting together on one database, the first
 * document stored wins and every one signs with it. Then the key set is read every `pollSeconds`,
 * and a new version (a rollover step by the CLI or another instance) replaces the ring. The ring
 * in use stays when the store cannot be reached or holds a document we cannot use: signing on with
 * the last good keys keeps answers valid, while signing nothing would make them bogus.
 */
import type { Logger } from '../../log';
import { limitedLine } from '../../log';
import type { DnssecKeyPort } from '../../store/types';
import { dsLine, type DnssecAlgorithm } from './keys';
import { parseKeysetDocument, ringFromKeyset } from './keyset';
import { readOrClaimKeyset } from './keyset-claim';
import type { KeyRing } from './types';

/** What the key source needs. */
export interface KeySourceOptions {
  readonly store: DnssecKeyPort;
  /** The algorithm of a key generated here (`[dnssec] algorithm`); a stored key keeps its own. */
  readonly algorithm: DnssecAlgorithm;
  /** Seconds between reads of the key set (`[dnssec] key_poll`). */
  readonly pollSeconds: number;
  /** The zone apex (lower case, no final dot), for the DS line logged at start. */
  readonly apex: string;
  readonly logger: Logger;
  /** Unix seconds; default Date.now()/1000 (a new key's createdAt). */
  readonly now?: () => number;
}

/** The keys in use, kept current. */
export interface KeySource {
  /** Reads or claims the key set; rejects when the store cannot be reached or its document is not usable. */
  start(): Promise<KeyRing>;
  /** The ring in use (after start). */
  current(): KeyRing;
  /** Stops polling; a read in flight is ignored. */
  stop(): void;
}

/** A store outage or a bad document logs one line per this many ms, not one per poll. */
const FAILURE_LOG_MS = 60_000;

/** Builds the source; nothing is read before start(). */
export function createKeySource(options: KeySourceOptions): KeySource {
  const { store, logger, apex } = options;
  const now = options.now ?? ((): number => Date.now() / 1000);
  const failed = limitedLine(FAILURE_LOG_MS);
  let ring: KeyRing | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let algorithmWarned = false;

  const describe = (r: KeyRing): Record<string, unknown> => ({
    version: r.version,
    tags: r.keys.map((k) => k.tag),
    algorithms: r.keys.map((k) => k.algorithm),
    ds: r.keys.map((k) => dsLine(apex, k)),
  });
  // No algorithm rollover (RFC 6781 §4.1.4 needs more steps than a CSK rollover): the stored keys keep signing.
  const checkAlgorithm = (r: KeyRing): void => {
    if (algorithmWarned || r.keys.some((k) => k.algorithm === options.algorithm)) return;
    algorithmWarned = true;
    logger.warn(
      { configured: options.algorithm, stored: r.keys.map((k) => k.algorithm) },
      'dnssec.algorithm differs from the stored key: the stored key keeps signing (no algorithm rollover)',
    );
  };

  const poll = async (): Promise<void> => {
    const stored = await store.getDnssecKeyset();
    // Deleted behind our back (by hand): signing on with what we have beats going unsigned while a DS is out.
    if (stored === undefined) throw new Error('the key set is gone from the store');
    if (stopped || stored.version === ring?.version) return;
    const next = ringFromKeyset(parseKeysetDocument(stored.document), stored.version);
    if (stopped) return;
    ring = next;
    logger.info(describe(next), 'DNSSEC key set changed: signing with the new keys');
    checkAlgorithm(next);
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      // Never throws: a failure keeps the ring in use and is logged (rate-limited).
      poll()
        .catch((err: unknown) => failed((suppressed) => logger.warn({ err, suppressed }, 'reading the DNSSEC key set failed; signing on with the keys in use')))
        .finally(schedule);
    }, options.pollSeconds * 1000);
    timer.unref();
  };

  return {
    async start() {
      // Another instance may claim first: then its key is the zone's, and ours is dropped.
      const current = await readOrClaimKeyset(store, options.algorithm, now());
      const first = ringFromKeyset(current.document, current.version);
      ring = first;
      logger.info(describe(first), current.claimed ? 'DNSSEC key generated and stored: give the parent the DS' : 'DNSSEC keys loaded');
      checkAlgorithm(first);
      schedule();
      return first;
    },
    current() {
      if (ring === undefined) throw new Error('the DNSSEC key source was not started');
      return ring;
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
