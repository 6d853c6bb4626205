/**
 * Part of the composition root: the DNS server built on a store. One builder for every process
 * that answers queries (the single process today, each DNS worker of `general.workers` later), so
 * they are wired alike and answer alike.
 */
import type { UpdateActions } from './accounts';
import type { Config } from './config/types';
import { ownChallengeNames } from './daemon-own-names';
import { createDnsServer, type DnsServer, type UpdateHandler } from './dns';
import type { AnswerSecurity } from './dns/dnssec';
import type { TsigKeyLookup } from './dns/tsig-gate';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import type { Store } from './store';

/** What differs between the processes that answer queries. */
export interface DnsPartInputs {
  readonly config: Config;
  /** The store DNS reads accounts, own challenge values, the serial and the journal from. */
  readonly store: Store;
  /** The DNS module's logger (this builder adds nothing to it). */
  readonly logger: Logger;
  readonly metrics?: Metrics | undefined;
  /** Keys for signed requests: `[transfer] tsig_key` first, then the accounts' (daemon-transfer.ts). */
  readonly tsigKey: TsigKeyLookup;
  /** RFC 2136 UPDATE through the accounts service (its limits, audit and budgets); absent: NOTIMP. */
  readonly update?: UpdateActions | undefined;
  /** Online DNSSEC (daemon-dnssec.ts); absent: unsigned. */
  readonly dnssec?: AnswerSecurity | undefined;
  /** In a DNS worker: UPDATE goes to the primary (src/workers), and the sockets are shared. */
  readonly worker?: { readonly update: UpdateHandler } | undefined;
}

/** Builds (does not start) the DNS server on `store`. */
export function createDnsPart(inputs: DnsPartInputs): DnsServer {
  const { config, store } = inputs;
  return createDnsServer({
    config: config.dns,
    lookup: (subdomain, now) => store.lookup(subdomain, now),
    challenges: (name, now) => store.challengeValues(name, now),
    // SQLite: the same reads without promises (answered in the turn the datagram arrives).
    syncReads: store.syncReads,
    // PostgreSQL: the generation its batched reads find, so repeated questions are replayed as well.
    readGeneration: store.readGeneration,
    ownChallengeNames: ownChallengeNames(config),
    logger: inputs.logger,
    metrics: inputs.metrics,
    rrl: config.rrl,
    serial: () => store.zoneSerial(),
    transfer: { config: config.transfer, journal: store },
    tsigKey: inputs.tsigKey,
    update: inputs.update,
    dnssec: inputs.dnssec,
    worker: inputs.worker,
  });
}
