import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createAccounts, defaultServer } from './accounts';
import { createApiApp, metricsAudience, startApiServer, type ApiServer } from './api';
import { resolveWorkerCount, type ConfigSource } from './config';
import type { Config } from './config/types';
import type { AcmeTiming, OwnCertificate } from './daemon-certificate';
import { usesOwnCertificate } from './daemon-own-names';
import { createTransferPart, type ZoneJobsTiming } from './daemon-transfer';
import { startDnssecPart } from './daemon-dnssec';
import { createDnsPart } from './daemon-dns';
import { parseZone, type DnsServer } from './dns';
import { createLogger, type Logger } from './log';
import { createMetrics, startMetricsServer, timedStore, type Metrics, type MetricsExposition } from './metrics';
import { openStore, startAuditRetention, type AuditRetentionTiming, type Store } from './store';
import { startWorkersPart } from './workers';
import { packageVersion } from './version';

/** Where a running daemon listens. */
export interface DaemonAddresses {
  readonly dns: { readonly udp: readonly AddressInfo[]; readonly tcp: readonly AddressInfo[] };
  readonly api: { readonly url: string };
  /** The metrics listener of its own (`[metrics] listen`), when there is one. */
  readonly metrics?: { readonly url: string };
}

/** A running server: its addresses and how to stop it or reload its certificate. */
export interface Daemon {
  readonly addresses: DaemonAddresses;
  /** Re-reads what can change without a restart (the API certificate files). */
  reload(): Promise<void>;
  /** The own certificate's manager, in the ACME TLS modes (`letsencrypt`, `letsencryptstaging`, `acme`). */
  readonly certificate?: OwnCertificate;
  /** Stops listening, finishes in-flight work, closes the store. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options for tests and embedding. */
export interface DaemonOptions {
  /** Defaults to a logger built from `config.log`. */
  readonly logger?: Logger;
  /**
   * Extra trusted root (PEM) for the ACME CA's HTTPS (tests: pebble's). Operators use the
   * NODE_EXTRA_CA_CERTS environment variable instead.
   */
  readonly acmeCaCertificates?: string;
  /** Shorter ACME retry and own-answer timing (tests); production uses the manager's defaults. */
  readonly acmeTiming?: AcmeTiming;
  /** Sooner and smaller audit prunes (tests); production prunes a minute after start, then hourly. */
  readonly auditRetention?: AuditRetentionTiming;
  /** Sooner zone journal prunes (tests); production prunes every minute. */
  readonly zoneJobs?: ZoneJobsTiming;
  /** The config's file text and ACMEDNS_* variables: with `general.workers` > 1, each DNS worker parses it. */
  readonly configSource?: ConfigSource;
  /** The built self-service page (`api.web`); default dist/web of this package (api DEFAULT_WEB_ROOT). */
  readonly webRoot?: string;
}

/** Throws when the configuration cannot run (static records that do not parse). */
export function checkConfig(config: Config): void {
  parseZone(config.dns);
}

/**
 * The composition root: the only place that builds the parts from one frozen config and wires them
 * together. Parts started before a failure are stopped again, so a failed start leaves nothing bound.
 */
export async function startDaemon(config: Config, options: DaemonOptions = {}): Promise<Daemon> {
  const logger = options.logger ?? createLogger(config.log);
  for (const warning of config.warnings) logger.warn({ module: 'config' }, warning);
  checkConfig(config);

  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((err: unknown) => logger.error({ err }, 'error while stopping'));
    }
  };

  try {
    const metrics: Metrics | undefined = config.metrics.enabled ? createMetrics() : undefined;
    const workerCount = resolveWorkerCount(config.dns.workers);
    // With DNS workers, DNS is answered in them: this process's few lookups (the delegation check,
    // forwarded UPDATEs) read SQLite rather than hold every account in memory as each worker does.
    const role = { servesDns: workerCount === 1 };
    const opened: Store = await openStore(config.database, config.txt, config.dns.domain, logger.child({ module: 'store' }), role);
    cleanups.push(() => opened.close());
    const timed: Store = metrics === undefined ? opened : timedStore(opened, metrics);
    // Every change of the zone through this store reads the new serial for NOTIFY at once.
    const transfer = createTransferPart(config, timed, logger.child({ module: 'xfr' }), metrics, options.zoneJobs);
    const store: Store = transfer.store;

    // In the background from the start; stopped before the store closes (cleanups run in reverse).
    const retention = startAuditRetention({
      store,
      retentionSeconds: config.audit.retentionSeconds,
      logger: logger.child({ module: 'audit' }),
      ...options.auditRetention,
    });
    cleanups.push(() => retention.stop());

    // Before DNS listens: the first answer is already signed (a first start generates the key).
    // Its poller stops before the store closes (cleanups run in reverse).
    const dnssec = await startDnssecPart(config, store, logger.child({ module: 'dnssec' }), metrics);
    if (dnssec !== undefined) cleanups.push(async () => dnssec.stop());

    // Every transport changes accounts through this one service, under its limits (DESIGN rule 8):
    // the API and RFC 2136 UPDATE share its authentication limits and write budgets.
    const accounts = createAccounts({ store, domain: config.dns.domain, rateLimit: config.ratelimit });
    let exposition: MetricsExposition | undefined = metrics;
    let dnsAddresses: DaemonAddresses['dns'];
    if (workerCount === 1) {
      const dns: DnsServer = createDnsPart({
        config,
        store,
        logger: logger.child({ module: 'dns' }),
        metrics,
        // Signed requests (RFC 8945): `[transfer] tsig_key` in front of the accounts' keys.
        tsigKey: (name) => transfer.tsigKey(name),
        update: accounts,
        dnssec: dnssec?.security,
      });
      dnsAddresses = await dns.start();
      cleanups.push(() => dns.stop());
    } else {
      // DNS in worker processes (src/workers); forked after the store migrated and the DNSSEC keys were claimed.
      const workers = await startWorkersPart({
        config,
        count: workerCount,
        source: options.configSource,
        accounts,
        dnsLogger: logger.child({ module: 'dns' }),
        logger: logger.child({ module: 'workers' }),
        metrics,
      });
      cleanups.push(() => workers.stop());
      dnsAddresses = workers.addresses;
      exposition = workers.exposition;
    }
    // After DNS listens (a notified secondary transfers at once); stopped before it and the store.
    transfer.start();
    cleanups.push(() => transfer.stop());

    // Built after the API (it hands its certificate to the listener); /status asks it when it exists.
    let ownCertificate: OwnCertificate | undefined;
    const app = createApiApp({
      config: config.api,
      domain: config.dns.domain,
      accounts,
      // RFC 2136 §4: updates go to the primary master, the SOA MNAME; on the port DNS is bound to.
      rfc2136Server: defaultServer(config.dns.nsname, dnsAddresses.udp[0]?.port ?? dnsAddresses.tcp[0]?.port),
      store,
      logger: logger.child({ module: 'api' }),
      metrics,
      exposition: config.metrics.listen === '' ? exposition : undefined,
      metricsAllow: config.metrics.allow,
      version: packageVersion(),
      certificate: () => {
        const current = ownCertificate?.current();
        return current === undefined ? undefined : { notAfter: current.notAfter, renewAt: current.renewAt };
      },
      ...(options.webRoot === undefined ? {} : { webRoot: options.webRoot }),
    });
    const api: ApiServer = await startApiServer(app, config.api, logger.child({ module: 'api' }), {
      onCertificate: (chain) => metrics?.setCertificateExpiry(notAfter(chain)),
    });
    cleanups.push(() => api.stop());

    // After DNS and the API: the manager asks our DNS for its own challenge and hands the
    // certificate to the listener. Stopped before both (cleanups run in reverse).
    // The ACME client is loaded only when the API's certificate comes through ACME: otherwise it
    // would hold 8 MiB of heap (acme-client and its 300-odd modules) in the primary for nothing.
    const certificate = usesOwnCertificate(config)
      ? await (await import('./daemon-certificate')).startOwnCertificate({
          config,
          store,
          dns: dnsAddresses,
          api,
          logger: logger.child({ module: 'acme' }),
          caCertificates: options.acmeCaCertificates,
          timing: options.acmeTiming,
        })
      : undefined;
    if (certificate !== undefined) cleanups.push(() => certificate.stop());
    ownCertificate = certificate;

    let metricsUrl: string | undefined;
    if (exposition !== undefined && config.metrics.listen !== '') {
      const scrapers = metricsAudience(config.metrics.allow);
      const listener = await startMetricsServer(config.metrics.listen, exposition, logger.child({ module: 'metrics' }), scrapers.admitsPeer);
      cleanups.push(() => listener.stop());
      metricsUrl = listener.url;
    }

    const addresses: DaemonAddresses = {
      dns: dnsAddresses,
      api: { url: api.url },
      ...(metricsUrl === undefined ? {} : { metrics: { url: metricsUrl } }),
    };
    logger.info(
      {
        udp: dnsAddresses.udp.map(formatAddress),
        tcp: dnsAddresses.tcp.map(formatAddress),
        api: api.url,
        ...(metricsUrl === undefined ? {} : { metrics: metricsUrl }),
        zone: config.dns.domain,
      },
      'acmedns started',
    );
    let stopping: Promise<void> | undefined;
    return {
      addresses,
      reload: async () => {
        // ACME modes have no files to re-read: the manager renews by itself (see README).
        if (certificate !== undefined) logger.info({ module: 'acme' }, 'reload: the certificate is managed through ACME; nothing to re-read');
        else await api.reloadCertificate();
      },
      ...(certificate === undefined ? {} : { certificate: { renewNow: () => certificate.renewNow(), current: () => certificate.current() } }),
      stop: () => {
        stopping ??= stopAll().then(() => logger.info('acmedns stopped'));
        return stopping;
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The leaf's notAfter (the first certificate of a PEM chain), for the expiry gauge. */
function notAfter(chainPem: Buffer): Date | undefined {
  try {
    return new Date(Date.parse(new X509Certificate(chainPem).validTo));
  } catch {
    return undefined;
  }
}

function formatAddress(a: AddressInfo): string {
  return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}
