/** Loading files: acme-dns's own config.cfg (v1, v2), our config.example.toml, file errors. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findDefaultConfigFile, loadConfig, type ApiConfig, type Config, type DnsConfig } from '../src/config';
import { ConfigError } from '../src/core/errors';

const FIXTURES = path.join(__dirname, 'fixtures', 'config');
const ROOT = path.join(__dirname, '..');
const NO_ENV = {};

/** The parts of acme-dns's sample both versions share, as we load them. */
const SAMPLE_DNS: DnsConfig = {
  listen: ['127.0.0.1:53'],
  protocol: 'both',
  domain: 'auth.example.org',
  nsname: 'auth.example.org',
  nsadmin: 'admin.example.org',
  records: ['auth.example.org. A 198.51.100.1', 'auth.example.org. NS auth.example.org.'],
  negativeTtl: 60,
  txtTtl: 1,
  staticTtl: 3600,
  tcpIdleTimeoutMs: 10000,
  tcpMaxConnections: 1024,
  tcpMaxConnectionsPerAddress: 32,
  tcpMessageTimeoutMs: 2000,
  tcpMaxLifetimeMs: 120000,
  workers: 'auto',
};

const SAMPLE_API: Omit<ApiConfig, 'tls'> = {
  ip: '0.0.0.0',
  port: 443,
  tlsCertPrivkey: '/etc/tls/example.org/privkey.pem',
  tlsCertFullchain: '/etc/tls/example.org/fullchain.pem',
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
};

/** `[transfer]` as a file without the section gets it: nobody may transfer. */
const NO_TRANSFER: Config['transfer'] = {
  secondaries: [],
  allow: [],
  tsig: undefined,
  journalSize: 1000,
  notifyRetrySeconds: 2,
  notifyRetryMaxSeconds: 60,
  notifyPollSeconds: 2,
  expiryIntervalSeconds: 60,
};

/** `[dnssec]` as a file without the section gets it: off, with Knot-like times. */
const NO_DNSSEC: Config['dnssec'] = {
  enabled: false,
  algorithm: 13,
  timing: { validity: 14 * 86400, refresh: 7 * 86400, inceptionOffset: 3600 },
  dnskeyTtl: 3600,
  keyPoll: 5,
  propagationDelay: 3600,
  signatureCacheSize: 100_000,
};

describe("acme-dns's shipped config.cfg loads unchanged", () => {
  test('v1 (joohoi/acme-dns): sqlite3, letsencryptstaging, debug, text', () => {
    const config = loadConfig(path.join(FIXTURES, 'acme-dns-v1.cfg'), NO_ENV);
    expect(config).toEqual<Config>({
      dns: SAMPLE_DNS,
      api: { ...SAMPLE_API, tls: 'letsencryptstaging' },
      database: { engine: 'sqlite', connection: '/var/lib/acme-dns/acme-dns.db' },
      txt: { keep: 4, maxAgeSeconds: 604800 },
      log: { level: 'debug', format: 'text', type: 'stdout', file: '' },
      metrics: { enabled: true, listen: '', allow: ['127.0.0.0/8', '::1/128'] },
      ratelimit: { registerPerHour: 60, registerBurst: 100, authFailures: 20, authFailureWindowSeconds: 600, authFailuresPerAddress: 200, authMalformed: 1000, authInFlight: 1, updatePerHour: 600, updateBurst: 200, checkPerHour: 60, checkBurst: 10, checkPerAddressPerHour: 120, checkPerAddressBurst: 20 },
      rrl: { enabled: false, responsesPerSecond: 20, slip: 2, windowSeconds: 15, ipv4Prefix: 24, ipv6Prefix: 56, exempt: [], tableSize: 20000 },
      audit: { retentionSeconds: 7776000 },
      transfer: NO_TRANSFER,
      dnssec: NO_DNSSEC,
      // This copy comes from an unreleased custom-CA branch; acme-dns ignores the key too.
      warnings: ['config: unknown key api.acme_dir ignored'],
    });
  });

  test('v2 (acme-dns/acme-dns): sqlite, none, hsts keys, json log to stdout', () => {
    const config = loadConfig(path.join(FIXTURES, 'acme-dns-v2.cfg'), NO_ENV);
    expect(config).toEqual<Config>({
      dns: SAMPLE_DNS,
      api: { ...SAMPLE_API, tls: 'none' },
      database: { engine: 'sqlite', connection: 'acme-dns.db' },
      txt: { keep: 4, maxAgeSeconds: 604800 },
      log: { level: 'info', format: 'json', type: 'stdout', file: './acme-dns.log' },
      metrics: { enabled: true, listen: '', allow: ['127.0.0.0/8', '::1/128'] },
      ratelimit: { registerPerHour: 60, registerBurst: 100, authFailures: 20, authFailureWindowSeconds: 600, authFailuresPerAddress: 200, authMalformed: 1000, authInFlight: 1, updatePerHour: 600, updateBurst: 200, checkPerHour: 60, checkBurst: 10, checkPerAddressPerHour: 120, checkPerAddressBurst: 20 },
      rrl: { enabled: false, responsesPerSecond: 20, slip: 2, windowSeconds: 15, ipv4Prefix: 24, ipv6Prefix: 56, exempt: [], tableSize: 20000 },
      audit: { retentionSeconds: 7776000 },
      transfer: NO_TRANSFER,
      dnssec: NO_DNSSEC,
      warnings: [],
    });
  });
});

test('config.example.toml loads with the first-run values and no warnings', () => {
  const config = loadConfig(path.join(ROOT, 'config.example.toml'), NO_ENV);
  expect(config.warnings).toEqual([]);
  expect(config.dns).toMatchObject({ listen: ['127.0.0.1:5353'], protocol: 'both', domain: 'auth.example.org' });
  expect(config.dns.records).toEqual(['auth.example.org. A 127.0.0.1', 'auth.example.org. NS auth.example.org.']);
  expect(config.api).toMatchObject({ ip: '127.0.0.1', port: 8080, tls: 'none' });
  expect(config.database).toEqual({ engine: 'sqlite', connection: 'data/acmedns.db' });
  expect(config.log).toEqual({ level: 'info', format: 'text', type: 'stdout', file: '' });
  expect(config.txt).toEqual({ keep: 4, maxAgeSeconds: 604800 });
  expect(config.audit).toEqual({ retentionSeconds: 90 * 86400 });
});

describe('files', () => {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-config-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a missing file is a ConfigError naming it', () => {
    const file = path.join(dir, 'nope.cfg');
    expect(() => loadConfig(file, NO_ENV)).toThrow(new ConfigError(`config: cannot read ${file}: ENOENT`));
  });

  test('a file with a byte-order mark loads', () => {
    const file = path.join(dir, 'bom.cfg');
    fs.writeFileSync(file, '\uFEFF[general]\ndomain = "auth.example.org"\n[database]\nengine = "sqlite"\nconnection = "x"\n');
    expect(loadConfig(file, NO_ENV).dns.domain).toBe('auth.example.org');
  });

  test("findDefaultConfigFile follows acme-dns's order", () => {
    expect(findDefaultConfigFile(() => true)).toBe('/etc/acme-dns/config.cfg');
    expect(findDefaultConfigFile((p) => p === './config.cfg')).toBe('./config.cfg');
    expect(findDefaultConfigFile(() => false)).toBeUndefined();
  });
});
