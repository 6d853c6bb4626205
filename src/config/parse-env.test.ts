/** ACMEDNS_<SECTION>_<KEY> overrides: every value type, precedence, bad values, unknown names. */
import { parseConfig } from '.';
import { ConfigError } from '../core/errors';

const FILE = `
[general]
domain = "auth.example.org"
listen = "127.0.0.1:53"
[database]
engine = "sqlite"
connection = "file.db"
[api]
port = "443"
hsts_enabled = true
`;

test('overrides of each type win over the file', () => {
  const config = parseConfig(FILE, {
    ACMEDNS_API_PORT: '8443', // integer for a key acme-dns writes as a string
    ACMEDNS_GENERAL_LISTEN: '127.0.0.1:5353,[::1]:5353', // comma-separated list
    ACMEDNS_DATABASE_CONNECTION: 'postgres://u:p@127.0.0.1/db', // string
    ACMEDNS_DATABASE_ENGINE: 'postgres',
    ACMEDNS_TXT_KEEP: '8', // integer, section absent from the file
    ACMEDNS_TXT_MAX_AGE: '90m', // duration string
    ACMEDNS_GENERAL_NEGATIVE_TTL: '30', // duration in seconds
    ACMEDNS_LOGCONFIG_LOGLEVEL: 'debug',
    ACMEDNS_API_USE_HEADER: '1', // boolean
    ACMEDNS_API_DISABLE_REGISTRATION: 'TRUE',
    ACMEDNS_API_HSTS_ENABLED: 'false',
    ACMEDNS_API_CORSORIGINS: '["https://a.example", "https://b.example"]', // JSON array
    ACMEDNS_GENERAL_RECORDS: '["auth.example.org. A 192.0.2.1", "auth.example.org. TXT \\"a,b\\""]',
    ACMEDNS_API_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1',
  });
  expect(config.api).toMatchObject({
    port: 8443,
    useHeader: true,
    disableRegistration: true,
    corsOrigins: ['https://a.example', 'https://b.example'],
    trustedProxies: ['10.0.0.0/8', '192.0.2.1/32'],
  });
  expect(config.api.hsts.enabled).toBe(false);
  expect(config.dns.listen).toEqual(['127.0.0.1:5353', '[::1]:5353']);
  expect(config.dns.negativeTtl).toBe(30);
  expect(config.dns.records).toEqual(['auth.example.org. A 192.0.2.1', 'auth.example.org. TXT "a,b"']);
  expect(config.database).toEqual({ engine: 'postgres', connection: 'postgres://u:p@127.0.0.1/db' });
  expect(config.txt).toEqual({ keep: 8, maxAgeSeconds: 5400 });
  expect(config.log.level).toBe('debug');
  expect(config.warnings).toEqual([]);
});

test('a key the file leaves out can come from the environment alone', () => {
  const config = parseConfig('[database]\nengine = "sqlite"\nconnection = "x"\n', { ACMEDNS_GENERAL_DOMAIN: 'Env.Example.' });
  expect(config.dns.domain).toBe('env.example');
});

test('unknown ACMEDNS_ names are warnings; other variables are not looked at', () => {
  const config = parseConfig(FILE, { ACMEDNS_API_PROT: '1', ACMEDNS_CONFIG: '/x', HOME: '/root' });
  expect(config.warnings).toEqual([
    'config: environment variable ACMEDNS_API_PROT is not a known key; ignored',
    'config: environment variable ACMEDNS_CONFIG is not a known key; ignored',
  ]);
  expect(config.api.port).toBe(443);
});

test.each<[string, string, string]>([
  ['ACMEDNS_API_PORT', 'https', 'config: api.port (from ACMEDNS_API_PORT) must be a port number 0-65535, as a string or an integer (got "https")'],
  ['ACMEDNS_API_USE_HEADER', 'yes', 'config: api.use_header (from ACMEDNS_API_USE_HEADER) must be true or false (got "yes")'],
  ['ACMEDNS_TXT_KEEP', 'many', 'config: txt.keep (from ACMEDNS_TXT_KEEP) must be an integer from 1 to 100 (got "many")'],
  ['ACMEDNS_TXT_KEEP', '0', 'config: txt.keep (from ACMEDNS_TXT_KEEP) must be an integer from 1 to 100 (got 0)'],
  ['ACMEDNS_GENERAL_LISTEN', '127.0.0.1:53,abc', 'config: general.listen (from ACMEDNS_GENERAL_LISTEN): "abc" is not host:port (e.g. "127.0.0.1:53", "[::1]:53" or ":53")'],
  ['ACMEDNS_API_CORSORIGINS', '[1]', 'config: api.corsorigins (from ACMEDNS_API_CORSORIGINS) must be a list of strings (got 1)'],
  ['ACMEDNS_API_CORSORIGINS', '["a"', 'config: api.corsorigins (from ACMEDNS_API_CORSORIGINS) must be a list of strings (got "[\\"a\\"")'],
  ['ACMEDNS_API_TLS', 'https', 'config: api.tls (from ACMEDNS_API_TLS) must be one of none, cert, letsencrypt, letsencryptstaging, acme (got "https")'],
  ['ACMEDNS_TXT_MAX_AGE', '1w', 'config: txt.max_age (from ACMEDNS_TXT_MAX_AGE) must be a duration: seconds as an integer, or a string like "90s", "10m", "168h", "7d" (got "1w")'],
])('bad %s=%p', (name, value, message) => {
  expect(() => parseConfig(FILE, { [name]: value })).toThrow(new ConfigError(message));
});

describe('the default environment', () => {
  const NAME = 'ACMEDNS_TXT_KEEP';
  afterEach(() => {
    delete process.env[NAME];
  });

  test('is process.env, read once at load', () => {
    process.env[NAME] = '9';
    const config = parseConfig(FILE);
    process.env[NAME] = '3';
    expect(config.txt.keep).toBe(9);
  });
});
