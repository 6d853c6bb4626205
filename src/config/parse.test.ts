/** What a config means: defaults, our additions, acme-dns spellings, freezing, warnings. */
import { parseConfig, type Config } from '.';

const NO_ENV = {};

const MINIMAL = `
[general]
domain = "auth.example.org"
[database]
engine = "sqlite"
connection = "acme.db"
`;

test('defaults of every key a minimal file leaves out', () => {
  const config = parseConfig(MINIMAL, NO_ENV);
  expect(config).toEqual<Config>({
    dns: {
      listen: [':53'],
      protocol: 'both',
      domain: 'auth.example.org',
      nsname: 'auth.example.org',
      nsadmin: 'hostmaster.auth.example.org',
      records: [],
      negativeTtl: 60,
      txtTtl: 1,
      staticTtl: 3600,
      tcpIdleTimeoutMs: 10000,
      tcpMaxConnections: 1024,
      tcpMaxConnectionsPerAddress: 32,
      tcpMessageTimeoutMs: 2000,
      tcpMaxLifetimeMs: 120000,
      workers: 'auto',
    },
    api: {
      ip: '',
      port: 443,
      tls: 'none',
      tlsCertPrivkey: '',
      tlsCertFullchain: '',
      acmeCacheDir: 'api-certs',
      notificationEmail: '',
      acmeDirectory: '',
      acmeEabKid: '',
      acmeEabHmacKey: '',
      apiDomain: '',
      disableRegistration: false,
      corsOrigins: ['*'],
      useHeader: false,
      headerName: 'X-Forwarded-For',
      trustedProxies: ['127.0.0.0/8', '::1/128'],
      maxBodyBytes: 65536,
      maxConnectionsPerAddress: 32,
      web: true,
      checkResolvers: [],
      hsts: { enabled: false, maxAge: 31536000, includeSubdomains: false, preload: false },
    },
    database: { engine: 'sqlite', connection: 'acme.db' },
    txt: { keep: 4, maxAgeSeconds: 604800 },
    log: { level: 'info', format: 'text', type: 'stdout', file: '' },
    metrics: { enabled: true, listen: '', allow: ['127.0.0.0/8', '::1/128'] },
    ratelimit: { registerPerHour: 60, registerBurst: 100, authFailures: 20, authFailureWindowSeconds: 600, authFailuresPerAddress: 200, authMalformed: 1000, authInFlight: 1, updatePerHour: 600, updateBurst: 200, checkPerHour: 60, checkBurst: 10, checkPerAddressPerHour: 120, checkPerAddressBurst: 20 },
    rrl: { enabled: false, responsesPerSecond: 20, slip: 2, windowSeconds: 15, ipv4Prefix: 24, ipv6Prefix: 56, exempt: [], tableSize: 20000 },
    audit: { retentionSeconds: 7776000 },
    transfer: {
      secondaries: [],
      allow: [],
      tsig: undefined,
      journalSize: 1000,
      notifyRetrySeconds: 2,
      notifyRetryMaxSeconds: 60,
      notifyPollSeconds: 2,
      expiryIntervalSeconds: 60,
    },
    dnssec: {
      enabled: false,
      algorithm: 13,
      timing: { validity: 1209600, refresh: 604800, inceptionOffset: 3600 },
      dnskeyTtl: 3600,
      keyPoll: 5,
      propagationDelay: 3600,
      signatureCacheSize: 100000,
    },
    warnings: [],
  });
});

test('our additions and the acme-dns spellings we map', () => {
  const config = parseConfig(
    `
    [General]
    Listen = ["127.0.0.1:5353", "[::1]:5353", ":5354"]
    protocol = "UDP4"
    domain = "Auth.Example.ORG."
    nsname = "NS1.Example.org."
    nsadmin = "Admin.Example.org"
    negative_ttl = "5m"
    txt_ttl = 0
    static_ttl = "1h"
    tcp_idle_timeout = 30
    tcp_max_connections = 10
    tcp_max_connections_per_address = 4
    tcp_message_timeout = "3s"
    tcp_max_lifetime = "5m"
    [database]
    engine = "postgresql"
    connection = "postgres://u:p@127.0.0.1/acmedns"
    [API]
    ip = "[::1]"
    port = 8443
    tls = "acme"
    acme_directory = "https://127.0.0.1:14000/dir"
    acme_eab_kid = "kid"
    acme_eab_hmac_key = "hmac"
    api_domain = "API.example.org."
    corsorigins = []
    use_header = true
    header_name = "X-Real-IP"
    trusted_proxies = ["10.0.0.0/8", "192.0.2.1", "2001:db8::/32"]
    max_body_bytes = 1024
    max_connections_per_address = 8
    hsts_enabled = true
    hsts_max_age = 0
    hsts_include_subdomains = true
    hsts_preload = true
    [logconfig]
    loglevel = "WARNING"
    logtype = "file"
    logfile = "log/acmedns.log"
    logformat = "console"
    [txt]
    keep = 100
    max_age = 0
    `,
    NO_ENV,
  );
  expect(config.dns).toEqual({
    listen: ['127.0.0.1:5353', '[::1]:5353', ':5354'],
    protocol: 'udp4',
    domain: 'auth.example.org',
    nsname: 'ns1.example.org',
    nsadmin: 'admin.example.org',
    records: [],
    negativeTtl: 300,
    txtTtl: 0,
    staticTtl: 3600,
    tcpIdleTimeoutMs: 30000,
    tcpMaxConnections: 10,
    tcpMaxConnectionsPerAddress: 4,
    tcpMessageTimeoutMs: 3000,
    tcpMaxLifetimeMs: 300000,
    workers: 'auto',
  });
  expect(config.api).toMatchObject({
    ip: '::1',
    port: 8443,
    tls: 'acme',
    acmeDirectory: 'https://127.0.0.1:14000/dir',
    acmeEabKid: 'kid',
    acmeEabHmacKey: 'hmac',
    apiDomain: 'api.example.org',
    corsOrigins: ['*'], // rs/cors: an empty list allows every origin
    useHeader: true,
    headerName: 'X-Real-IP',
    trustedProxies: ['10.0.0.0/8', '192.0.2.1/32', '2001:db8::/32'],
    maxBodyBytes: 1024,
    maxConnectionsPerAddress: 8,
    hsts: { enabled: true, maxAge: 31536000, includeSubdomains: true, preload: true },
  });
  expect(config.database).toEqual({ engine: 'postgres', connection: 'postgres://u:p@127.0.0.1/acmedns' });
  expect(config.log).toEqual({ level: 'warn', format: 'text', type: 'file', file: 'log/acmedns.log' });
  expect(config.txt).toEqual({ keep: 100, maxAgeSeconds: 0 });
  expect(config.warnings).toEqual([]);
});

test.each<[string, string]>([
  ['fatal', 'error'], // acme-dns v2 (zap) levels above error
  ['DPanic', 'error'],
  ['panic', 'error'],
  ['warning', 'warn'], // the value acme-dns's own sample documents
  ['Debug', 'debug'],
  ['', 'info'], // v2: empty is info
])('logconfig.loglevel %p means %p', (level, want) => {
  const config = parseConfig(`${MINIMAL}\n[logconfig]\nloglevel = "${level}"\n`, NO_ENV);
  expect(config.log.level).toBe(want);
});

test.each<[string, string]>([
  ['sqlite3', 'sqlite'],
  ['sqlite', 'sqlite'],
  ['postgres', 'postgres'],
  ['postgresql', 'postgres'],
])('database.engine %p means %p', (engine, want) => {
  const config = parseConfig(`[general]\ndomain = "a.example"\n[database]\nengine = "${engine}"\nconnection = "x"\n`, NO_ENV);
  expect(config.database.engine).toBe(want);
});

test("an empty listen is acme-dns's default, every interface on port 53", () => {
  const config = parseConfig('[general]\nlisten = ""\ndomain = "a.example"\n[database]\nengine = "sqlite"\nconnection = "x"\n', NO_ENV);
  expect(config.dns.listen).toEqual([':53']);
});

test('the result is deeply frozen', () => {
  const config = parseConfig(MINIMAL, NO_ENV);
  const frozen: unknown[] = [config, config.dns, config.dns.listen, config.dns.records, config.api, config.api.hsts];
  frozen.push(config.api.corsOrigins, config.api.trustedProxies, config.database, config.txt, config.log, config.warnings);
  for (const part of frozen) expect(Object.isFrozen(part)).toBe(true);
  expect(() => {
    (config.dns.listen as string[]).push('x');
  }).toThrow(TypeError);
});

test('unknown sections and keys are warnings, not errors; ignored legacy keys warn too', () => {
  const config = parseConfig(
    `toplevel = 1
    [general]
    domain = "auth.example.org"
    listne = "127.0.0.1:53"
    debug = true
    [database]
    engine = "sqlite"
    connection = "x"
    [api]
    autocert_port = "80"
    [extra]
    key = 1
    `,
    NO_ENV,
  );
  expect(config.warnings).toEqual([
    'config: unknown key "toplevel" ignored',
    'config: unknown key general.listne ignored',
    'config: unknown section "extra" ignored',
    'config: api.autocert_port is ignored (the HTTP-01 port of acme-dns before v0.8)',
  ]);
});
