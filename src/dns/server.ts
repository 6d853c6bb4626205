/** The DNS server: builds the zone and handler, binds UDP/TCP on every listen address per `protocol`. */
import type { AddressInfo } from 'node:net';
import type { DnsConfig, RrlConfig, TransferConfig } from '../config/types';
import type { Logger } from '../log';
import type { UpdateActions } from '../accounts';
import type { DnsMetrics, DnsUpdateMetrics, RrlMetrics, TransferMetrics } from '../metrics/types';
import type { SyncZoneReads, ZoneJournalPort } from '../store/types';
import type { Challenges, Lookup, SyncReads } from './handler';
import { createHandler } from './handler';
import type { Binding } from './listen';
import type { TsigKeyLookup } from './tsig-gate';
import type { AnswerSecurity } from './dnssec/types';
import { bindError, errorCode, planBindings } from './listen';
import { createUdpReplyLimit } from './rrl';
import { listenTcp } from './tcp';
import type { Listener } from './udp';
import { listenUdp } from './udp';
import { createSerialReader, createSoaAt, createSyncSerialReader, soaRecord } from './serial';
import { createTransferAcl } from './xfr/acl';
import { createTransfers } from './xfr/transfer';
import { createUpdateHandler, type UpdateHandler } from './update';
import { parseZone, serialFromTime } from './zone';

/** What the DNS server is built from. */
export interface DnsServerDeps {
  config: DnsConfig;
  /** Store.lookup: account data for a subdomain label; may throw StoreUnavailableError. */
  lookup: Lookup;
  /** Store.challengeValues: the server's own DNS-01 values at a name; may throw StoreUnavailableError. */
  challenges: Challenges;
  /** Used as given (the caller passes this module's child logger). */
  logger: Logger;
  /** Seconds; default Date.now()/1000. */
  now?: () => number;
  /** Counts answered messages (and replies held back by RRL, updates, transfers); absent: nothing is counted. */
  metrics?: (DnsMetrics & Partial<RrlMetrics> & Partial<DnsUpdateMetrics> & Partial<TransferMetrics>) | undefined;
  /** Response rate limiting on UDP (`[rrl]`); absent or disabled: every reply is sent. */
  rrl?: RrlConfig | undefined;
  /** Where the server's own DNS-01 values may appear (lower-case, no final dot): their parents exist. */
  ownChallengeNames?: readonly string[];
  /**
   * Store.syncReads: the same reads as `lookup`, `challenges` and `serial` without promises, so UDP
   * queries are answered in the turn they arrive; absent: through the promises.
   */
  syncReads?: SyncZoneReads | undefined;
  /** Store.readGeneration (a store without syncReads): repeated UDP questions replayed on the promise path. */
  readGeneration?: (() => Promise<number>) | undefined;
  /** Store.zoneSerial: the serial every SOA carries; absent: the start time's (acme-dns's fixed serial). */
  serial?: (() => Promise<number>) | undefined;
  /** Zone transfers (`[transfer]`) from the store's journal; absent: AXFR and IXFR are REFUSED. */
  transfer?: { readonly config: TransferConfig; readonly journal: Pick<ZoneJournalPort, 'zoneSnapshot' | 'zoneChangesSince'> } | undefined;
  /** The accounts service's RFC 2136 actions: UPDATE is served with them; absent: UPDATE is NOTIMP. */
  update?: UpdateActions | undefined;
  /** TSIG keys by name for signed requests (RFC 8945); absent: every signed request gets BADKEY. */
  tsigKey?: TsigKeyLookup | undefined;
  /** DNSSEC online signing (dns/dnssec): the DNSKEY RRset served, DO answers signed; absent: unsigned. */
  dnssec?: AnswerSecurity | undefined;
  /**
   * A DNS worker of `general.workers`: UPDATE is answered by this (the primary's handler, over
   * IPC) instead of `update`, and the sockets are shared with the other workers (not exclusive).
   */
  worker?: { readonly update: UpdateHandler } | undefined;
}

/** A running (or startable) DNS server. */
export interface DnsServer {
  /** Binds every listen address; resolves with what was bound (port 0 -> real port). */
  start(): Promise<{ udp: AddressInfo[]; tcp: AddressInfo[] }>;
  /** Stops listening, closes TCP connections, waits for in-flight answers. */
  stop(): Promise<void>;
}

/** The label of the warm-up lookup: any will do (it only reads); accounts have UUID labels. */
const WARM_UP_LABEL = '-';

/** Kernel picks for port 0 that may collide between UDP and TCP: tries before giving up. */
const PORT_PICK_ATTEMPTS = 10;

/** Creates the server; the zone is parsed now, so a bad record is a ConfigError here. */
export function createDnsServer(deps: DnsServerDeps): DnsServer {
  const { config, logger } = deps;
  const now = deps.now ?? ((): number => Date.now() / 1000);
  // The start time's serial (acme-dns's, fixed) until the store's is read (`serial`): the config check builds the zone without a store.
  const zone = parseZone(config, serialFromTime(now()), deps.ownChallengeNames);
  const serial = deps.serial && createSerialReader(deps.serial);
  const syncReads = deps.syncReads;
  // The serial only when the store's is served at all (`serial` given), as on the promise path.
  const syncSerial = syncReads && deps.serial ? createSyncSerialReader(() => syncReads.zoneSerial()) : undefined;
  const sync: SyncReads | undefined = syncReads && {
    begin: () => syncReads.begin(),
    answerEpoch: (nowSeconds) => syncReads.answerEpoch(nowSeconds),
    lookup: (subdomain, t) => syncReads.lookup(subdomain, t),
    challenges: (name, t) => syncReads.challengeValues(name, t),
    peekAccount: (subdomain, t) => syncReads.peekAccount(subdomain, t),
    writeSoleValue: (query, from, t, length, out, at) => syncReads.writeSoleValue(query, from, t, length, out, at),
    accountAbsent: (query, from, length) => syncReads.accountAbsent(query, from, length),
    touchAccounts: (queries, from, length) => syncReads.touchAccounts(queries, from, length),
    serial: syncSerial,
  };
  const transfer = deps.transfer;
  const soaAt = createSoaAt(zone);
  const transfers =
    serial && transfer
      ? createTransfers({
          zone,
          journal: transfer.journal,
          serial,
          soaAt: (s) => soaRecord(zone, soaAt(s)),
          acl: createTransferAcl(transfer.config.secondaries, transfer.config.allow),
          keyName: transfer.config.tsig?.name,
          now,
          metrics: deps.metrics,
        })
      : undefined;
  const updateMetrics = deps.metrics?.dnsUpdate ? { dnsUpdate: deps.metrics.dnsUpdate.bind(deps.metrics) } : undefined;
  const update = deps.worker ? deps.worker.update : deps.update ? createUpdateHandler({ apexLabels: zone.apexLabels, accounts: deps.update, logger, now, metrics: updateMetrics }) : undefined;
  const handler = createHandler({ zone, lookup: deps.lookup, challenges: deps.challenges, logger, now, metrics: deps.metrics, tsigKey: deps.tsigKey, update, serial, sync, readGeneration: deps.readGeneration, transfers, dnssec: deps.dnssec });
  // One table for every UDP listener: a flood split over our addresses is still one flood.
  const rrlMetrics = deps.metrics?.dnsRrl ? { dnsRrl: deps.metrics.dnsRrl.bind(deps.metrics) } : undefined;
  const limit = deps.rrl ? createUdpReplyLimit({ config: deps.rrl, now, metrics: rrlMetrics, logger }) : undefined;
  let listeners: Listener[] = [];

  const exclusive = deps.worker === undefined;
  const open = (b: Binding, host: string, family: 4 | 6, port: number): Promise<Listener> =>
    b.transport === 'udp'
      ? listenUdp({ host, port, family, ipv6Only: b.ipv6Only, exclusive }, handler, logger, limit)
      : listenTcp(
          {
            host,
            port,
            family,
            ipv6Only: b.ipv6Only,
            exclusive,
            idleTimeoutMs: config.tcpIdleTimeoutMs,
            messageTimeoutMs: config.tcpMessageTimeoutMs,
            maxLifetimeMs: config.tcpMaxLifetimeMs,
            maxConnections: config.tcpMaxConnections,
            maxConnectionsPerSource: config.tcpMaxConnectionsPerAddress,
          },
          handler,
          logger,
        );

  async function bindOne(b: Binding, port: number): Promise<Listener> {
    try {
      return await open(b, b.host, b.family, port);
    } catch (err) {
      // ":53" on a host without IPv6: the dual-stack socket cannot exist, IPv4 alone can.
      const noV6 = ['EAFNOSUPPORT', 'EADDRNOTAVAIL', 'EINVAL'].includes(errorCode(err) ?? '');
      if (!b.fallbackToV4 || !noV6) throw bindError(err, b);
      try {
        return await open(b, '0.0.0.0', 4, port);
      } catch (err4) {
        throw bindError(err4, b);
      }
    }
  }

  /** UDP and TCP of one listen address share the port, also when it is 0 (picked by the kernel). */
  async function bindAddress(group: readonly Binding[]): Promise<Listener[]> {
    const [first, ...rest] = group as [Binding, ...Binding[]];
    for (let attempt = 1; ; attempt++) {
      const bound = [await bindOne(first, first.port)];
      try {
        for (const b of rest) bound.push(await bindOne(b, (bound[0] as Listener).address.port));
        return bound;
      } catch (err) {
        await Promise.all(bound.map((l) => l.close()));
        const retry = first.port === 0 && errorCode(err) === 'EADDRINUSE' && attempt < PORT_PICK_ATTEMPTS;
        if (!retry) throw err;
      }
    }
  }

  return {
    async start() {
      if (listeners.length) throw new Error('DNS server already started');
      // Read once before the first query: the reader then has a serial to fall back on, so the
      // static zone's SOA keeps answering through a store outage that begins before any SOA was asked.
      if (serial) await serial().catch(() => undefined);
      if (syncReads) {
        try {
          syncReads.begin();
          syncSerial?.();
          // One account lookup before listening: the SQLite store reads every account's name into
          // its index here (about 1 s at 1,000,000 accounts; the values follow in the background)
          // rather than in the first query's turn.
          syncReads.lookup(WARM_UP_LABEL, now());
        } catch {
          // As above: the first query tries again.
        }
      }
      const plan = planBindings(config.listen, config.protocol);
      const groups = new Map<string, Binding[]>();
      for (const b of plan) groups.set(b.text, [...(groups.get(b.text) ?? []), b]);
      try {
        for (const group of groups.values()) listeners.push(...(await bindAddress(group)));
      } catch (err) {
        await Promise.all(listeners.map((l) => l.close()));
        listeners = [];
        throw err;
      }
      const result = { udp: [] as AddressInfo[], tcp: [] as AddressInfo[] };
      plan.forEach((b, i) => result[b.transport].push((listeners[i] as Listener).address));
      logger.info({ udp: result.udp, tcp: result.tcp, zone: zone.apex }, 'DNS server listening');
      return result;
    },
    async stop() {
      const closing = listeners;
      listeners = [];
      await Promise.all(closing.map((l) => l.close()));
    },
  };
}
