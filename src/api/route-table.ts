/**
 * What the API is built from (ApiDeps) and the routes it serves: acme-dns's, ours, the page's
 * files and /openapi.json, by canonical path and method. app.ts serves this table.
 */
import path from 'node:path';
import { defaultServer, type Accounts, type ServerAddress } from '../accounts';
import type { ApiConfig } from '../config/types';
import { nodeDelegationDns, type DelegationDns } from '../delegation';
import type { Logger } from '../log';
import type { ApiMetrics, MetricsExposition } from '../metrics/types';
import type { Handler } from './context';
import { deleteAccountHandler, getAccountHandler } from './routes/account';
import { clearTxtHandler, rotateKeyHandler } from './routes/account-self';
import { checkHandler } from './routes/check';
import { healthHandler } from './routes/health';
import { cleanupHandler, presentHandler } from './routes/httpreq';
import { metricsHandler } from './routes/metrics';
import { openApiHandler } from './routes/openapi';
import { readyHandler, type StoreProbe } from './routes/ready';
import { registerHandler } from './routes/register';
import { statusHandler, type CertificateStatus } from './routes/status';
import { addTsigKeyHandler, listTsigKeysHandler, removeTsigKeyHandler } from './routes/tsig';
import { updateHandler } from './routes/update';
import { webRoutes } from './routes/page';

/** What the API needs; daemon.ts passes it in. */
export interface ApiDeps {
  readonly config: ApiConfig;
  /** The zone, for `fulldomain` = subdomain + "." + domain. */
  readonly domain: string;
  /** Every account action, under its limits (accounts/): the API changes accounts only through it. */
  readonly accounts: Accounts;
  /** Where the settings of a new TSIG key send RFC 2136 updates (daemon.ts: general.nsname on the DNS port); absent: the zone's name, port 53. */
  readonly rfc2136Server?: ServerAddress;
  /** For /ready only. */
  readonly store: StoreProbe;
  readonly logger: Logger;
  /** Where each request's outcome is counted; absent: nowhere. */
  readonly metrics?: ApiMetrics;
  /** Given: GET /metrics serves it on this listener (`[metrics] listen = ""`). */
  readonly exposition?: MetricsExposition;
  /** CIDRs whose clients may GET /metrics (`metrics.allow`); absent: loopback only. */
  readonly metricsAllow?: readonly string[];
  /** The built self-service page (with `api.web`); absent: DEFAULT_WEB_ROOT. Tests pass a folder of their own. */
  readonly webRoot?: string;
  /** The server's version, for GET /status; absent: "unknown". */
  readonly version?: string;
  /** The own certificate now (tls = letsencrypt*, acme), for GET /status; absent: none. */
  readonly certificate?: () => CertificateStatus | undefined;
  /** The delegation check's DNS questions; absent: node:dns through `api.check_resolvers`. */
  readonly checkDns?: DelegationDns;
}

/**
 * Where `npm run build` puts the page: dist/web in the package, found from this file whether it
 * runs compiled (dist/api/route-table.js) or from source (src/api/route-table.ts), so a fresh clone serves it once built.
 */
export const DEFAULT_WEB_ROOT = path.resolve(__dirname, '..', '..', 'dist', 'web');

/** Handlers by canonical path, then by upper-case method. */
export type Routes = ReadonlyMap<string, Readonly<Record<string, Handler>>>;

/**
 * The routes this configuration serves, by canonical path and method: acme-dns's three (two when
 * registration is disabled), ours, the page's files, and /openapi.json, which documents exactly these.
 */
export function apiRoutes(deps: ApiDeps): Routes {
  const { accounts, domain } = deps;
  const tsig = { accounts, domain, server: deps.rfc2136Server ?? defaultServer(domain, undefined) };
  const routes = new Map<string, Record<string, Handler>>([
    ['/update', { POST: updateHandler({ accounts }) }],
    ['/health', { GET: healthHandler() }],
    ['/ready', { GET: readyHandler({ store: deps.store, logger: deps.logger }) }],
    ...(deps.config.disableRegistration
      ? []
      : ([['/register', { POST: registerHandler({ accounts }) }]] as const)),
    [
      '/account',
      {
        GET: getAccountHandler({ accounts, domain }),
        DELETE: deleteAccountHandler({ accounts, domain }),
      },
    ],
    ['/account/txt', { DELETE: clearTxtHandler({ accounts }) }],
    ['/account/key', { POST: rotateKeyHandler({ accounts }) }],
    [
      '/account/check',
      { POST: checkHandler({ accounts, zone: domain, dns: deps.checkDns ?? nodeDelegationDns(deps.config.checkResolvers) }) },
    ],
    [
      '/status',
      {
        GET: statusHandler({
          zone: domain,
          version: deps.version ?? 'unknown',
          registration: !deps.config.disableRegistration,
          store: deps.store,
          logger: deps.logger,
          ...(deps.certificate === undefined ? {} : { certificate: deps.certificate }),
        }),
      },
    ],
    [
      '/account/tsig',
      {
        POST: addTsigKeyHandler(tsig),
        GET: listTsigKeysHandler(tsig),
        DELETE: removeTsigKeyHandler(tsig),
      },
    ],
    // lego's httpreq protocol on the same accounts (routes/httpreq.ts).
    ['/present', { POST: presentHandler({ accounts, domain }) }],
    ['/cleanup', { POST: cleanupHandler({ accounts, domain }) }],
    ...(deps.exposition === undefined ? [] : ([['/metrics', { GET: metricsHandler(deps.exposition) }]] as const)),
    // The self-service page (issue 13): `/` and `/web/<file>`, only the files built.
    ...(deps.config.web ? webRoutes(deps.webRoot ?? DEFAULT_WEB_ROOT, deps.logger) : []),
  ]);
  const served = new Map([...routes].map(([path, methods]) => [path, Object.keys(methods)]));
  served.set('/openapi.json', ['GET']);
  routes.set('/openapi.json', { GET: openApiHandler(served) });
  return routes;
}
