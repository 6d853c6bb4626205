/** `[api]` -> the HTTP API's slice (ApiConfig): acme-dns's keys, v2-master's HSTS keys, our additions. */
import { z } from 'zod';
import { accept, cidrList, expected, flag, fromEnv, int, integer, oneOf, parsedText, port, section, stringList, text } from './fields';
import { parseBindIp, parseDomain, parseHeaderName, parseHttpUrl, type Parsed } from './values';
import { parseSecondary } from './values-transfer';

/** acme-dns v2's four `tls` values (strictly checked, as v2 does) plus our `acme` (any RFC 8555 CA). */
export const TLS_MODES = ['none', 'cert', 'letsencrypt', 'letsencryptstaging', 'acme'] as const;

/** v2-master's HSTS max-age when `hsts_max_age` is absent or not positive (one year). */
const HSTS_DEFAULT_MAX_AGE = 31536000;

/** Loopback only: a proxy elsewhere has to be named before its `header_name` is believed. */
const DEFAULT_TRUSTED_PROXIES = ['127.0.0.0/8', '::1/128'];

/** `""` means "use the default" for several acme-dns keys. */
const orDefault = (fallback: string) => (v: string) => (v.trim() === '' ? fallback : v);

/** An empty string passes; anything else must satisfy `parser` (optional typed values). */
const emptyOr =
  (parser: (s: string) => Parsed<string>) =>
  (v: string): Parsed<string> =>
    v.trim() === '' ? { ok: true, value: '' } : parser(v);

/**
 * A resolver the server's delegation check asks, in node:dns `setServers` form: `ip`, `ip:port`,
 * `[v6]:port` (a bare IPv6 address too). IP literals only, as for every address we send to.
 */
function parseResolver(input: string): Parsed<string> {
  const parsed = parseSecondary(input);
  if (!parsed.ok) return parsed;
  const { host, port } = parsed.value;
  const v6 = host.includes(':');
  if (port === 53) return { ok: true, value: host };
  return { ok: true, value: v6 ? `[${host}]:${port}` : `${host}:${port}` };
}

/** A list of resolver addresses, each normalised or named when wrong. */
const resolverList = () =>
  stringList('a list of resolver addresses').transform((items, ctx) => items.map((item) => accept(parseResolver(item), item, ctx)));

const keys = {
  // acme-dns ignores it since v0.8 (#295); we add it to the API certificate's names.
  api_domain: parsedText(parseDomain, 'a domain name').default(''),
  ip: parsedText(parseBindIp, 'an IP address').default(''),
  // acme-dns's default is "" (an OS-chosen port); 443 is the port of its shipped config.
  port: port().default(443),
  // acme-dns v0.3-v0.7's HTTP-01 port; ignored since v0.8. Accepted with a warning.
  autocert_port: fromEnv('int', z.union([z.string(), z.number()], { error: expected('a port') })).optional(),
  disable_registration: flag().default(false),
  tls: oneOf(TLS_MODES).default('none'),
  tls_cert_privkey: text().default(''),
  tls_cert_fullchain: text().default(''),
  acme_cache_dir: text().transform(orDefault('api-certs')).default('api-certs'),
  notification_email: text().default(''),
  acme_directory: parsedText(emptyOr(parseHttpUrl), 'an http(s) URL').default(''),
  acme_eab_kid: text().default(''),
  acme_eab_hmac_key: text().default(''),
  // rs/cors, which acme-dns uses, treats an empty list as "allow all"; so do we.
  corsorigins: stringList().transform((list) => (list.length === 0 ? ['*'] : list)).default(['*']),
  use_header: flag().default(false),
  header_name: parsedText(emptyOr(parseHeaderName), 'an HTTP header name').default('X-Forwarded-For'),
  trusted_proxies: cidrList().default(DEFAULT_TRUSTED_PROXIES),
  max_body_bytes: int(1, 1 << 30).default(65536),
  // 0: no cap. See api/server/connection-cap.ts for why a flood's connections are capped at all.
  max_connections_per_address: int(0, 1_000_000).default(32),
  hsts_enabled: flag().default(false),
  hsts_max_age: integer().default(HSTS_DEFAULT_MAX_AGE),
  hsts_include_subdomains: flag().default(false),
  hsts_preload: flag().default(false),
  // The self-service page at / and /web/ (issue 13); false: both are 404, as before it existed.
  web: flag().default(true),
  // Where POST /account/check asks; [] = /etc/resolv.conf's, as check-delegation without --resolver.
  check_resolvers: resolverList().default([]),
};

type ApiKeys = z.output<z.ZodObject<typeof keys>>;

/** Keys that only make sense together; each issue names the key that is missing. */
function checkCombinations(a: ApiKeys, ctx: z.RefinementCtx): void {
  const need = (key: keyof ApiKeys, when: string) =>
    ctx.addIssue({ code: 'custom', path: [key], input: a[key], message: `is required when ${when}` });
  if (a.tls === 'cert' && a.tls_cert_privkey.trim() === '') need('tls_cert_privkey', 'tls = "cert"');
  if (a.tls === 'cert' && a.tls_cert_fullchain.trim() === '') need('tls_cert_fullchain', 'tls = "cert"');
  if (a.tls === 'acme' && a.acme_directory === '') need('acme_directory', 'tls = "acme"');
  if (a.acme_eab_kid !== '' && a.acme_eab_hmac_key === '') need('acme_eab_hmac_key', 'acme_eab_kid is set');
  if (a.acme_eab_hmac_key !== '' && a.acme_eab_kid === '') need('acme_eab_kid', 'acme_eab_hmac_key is set');
  if (a.use_header && a.header_name === '') need('header_name', 'use_header = true');
}

/** The `[api]` section's schema, producing the API slice. */
export const apiSection = section('api', keys)
  .superRefine(checkCombinations)
  .transform((a) => ({
    /** Bind address without brackets (`0.0.0.0`, `::1`); empty means all interfaces. */
    ip: a.ip,
    /** TCP port; 0 picks a free one (tests). */
    port: a.port,
    tls: a.tls,
    tlsCertPrivkey: a.tls_cert_privkey,
    tlsCertFullchain: a.tls_cert_fullchain,
    acmeCacheDir: a.acme_cache_dir,
    notificationEmail: a.notification_email,
    /** Directory URL for `tls = "acme"`. */
    acmeDirectory: a.acme_directory,
    acmeEabKid: a.acme_eab_kid,
    acmeEabHmacKey: a.acme_eab_hmac_key,
    /** Extra name for the API certificate (acme-dns ignores it: its #295). */
    apiDomain: a.api_domain,
    disableRegistration: a.disable_registration,
    /** CORS origins; `*` entries allow all; a single `*` inside an origin is a wildcard. */
    corsOrigins: a.corsorigins,
    useHeader: a.use_header,
    headerName: a.header_name,
    /** Peers whose `header_name` is believed (CIDRs). */
    trustedProxies: a.trusted_proxies,
    /** Request bodies larger than this get 413. */
    maxBodyBytes: a.max_body_bytes,
    /** Open connections one client address (IPv6: /64) may hold; 0 = no cap. Believed proxies are exempt. */
    maxConnectionsPerAddress: a.max_connections_per_address,
    /** Serve the self-service page (`/`, `/web/<file>`). */
    web: a.web,
    /** Resolvers POST /account/check asks (node:dns `setServers` form); empty: the system's. */
    checkResolvers: a.check_resolvers,
    hsts: {
      enabled: a.hsts_enabled,
      maxAge: a.hsts_max_age > 0 ? a.hsts_max_age : HSTS_DEFAULT_MAX_AGE,
      includeSubdomains: a.hsts_include_subdomains,
      preload: a.hsts_preload,
    },
  }));
