/** A wrong config stops the start with one exact line naming the key and what is allowed. */
import { parseConfig } from '.';
import { ConfigError } from '../core/errors';

const NO_ENV = {};

/** A valid file whose sections can be extended or replaced line by line. */
function configWith(extra: { general?: string; database?: string; api?: string; logconfig?: string; txt?: string }): string {
  return [
    `[general]\n${extra.general ?? 'domain = "auth.example.org"'}`,
    `[database]\n${extra.database ?? 'engine = "sqlite"\nconnection = "acme.db"'}`,
    `[api]\n${extra.api ?? ''}`,
    `[logconfig]\n${extra.logconfig ?? ''}`,
    `[txt]\n${extra.txt ?? ''}`,
  ].join('\n');
}

const DOMAIN = 'domain = "auth.example.org"';
const DURATION = 'a duration: seconds as an integer, or a string like "90s", "10m", "168h", "7d"';
const LISTEN = 'is not host:port (e.g. "127.0.0.1:53", "[::1]:53" or ":53")';

test.each<[string, string, string]>([
  // wrong TOML types
  ['port = true', configWith({ api: 'port = true' }), 'config: api.port must be a port number 0-65535, as a string or an integer (got true)'],
  ['port out of range', configWith({ api: 'port = "70000"' }), 'config: api.port must be a port number 0-65535, as a string or an integer (got "70000")'],
  ['use_header = "yes"', configWith({ api: 'use_header = "yes"' }), 'config: api.use_header must be true or false (got "yes")'],
  ['records with a number', configWith({ general: `${DOMAIN}\nrecords = ["a.example. A 192.0.2.1", 1]` }), 'config: general.records must be a list of strings (got 1)'],
  ['corsorigins as a string', configWith({ api: 'corsorigins = "*"' }), 'config: api.corsorigins must be a list of strings (got "*")'],
  ['a section that is not a table', 'general = "x"', 'config: general must be a table ([general]) (got "x")'],
  ['a date where a string belongs', configWith({ database: 'engine = "sqlite"\nconnection = 1979-05-27' }), 'config: database.connection must be a string (got a date)'],
  // enumerations
  ['bad tls', configWith({ api: 'tls = "foo"' }), 'config: api.tls must be one of none, cert, letsencrypt, letsencryptstaging, acme (got "foo")'],
  ['bad protocol', configWith({ general: `${DOMAIN}\nprotocol = "tcp5"` }), 'config: general.protocol must be one of both, both4, both6, udp, udp4, udp6, tcp, tcp4, tcp6 (got "tcp5")'],
  ['bad engine', configWith({ database: 'engine = "mysql"\nconnection = "x"' }), 'config: database.engine must be one of sqlite, postgres (or sqlite3, postgresql) (got "mysql")'],
  ['bad loglevel', configWith({ logconfig: 'loglevel = "trace"' }), 'config: logconfig.loglevel must be one of debug, info, warn, error (or warning, dpanic, panic, fatal) (got "trace")'],
  ['bad logformat', configWith({ logconfig: 'logformat = "xml"' }), 'config: logconfig.logformat must be one of text, json (or console) (got "xml")'],
  ['bad logtype', configWith({ logconfig: 'logtype = "syslog"' }), 'config: logconfig.logtype must be one of stdout, file (got "syslog")'],
  // required keys
  ['missing domain', configWith({ general: 'listen = ":53"' }), 'config: general.domain is required (the zone to serve, e.g. "auth.example.org")'],
  ['empty domain', configWith({ general: 'domain = ""' }), 'config: general.domain is required (the zone to serve, e.g. "auth.example.org")'],
  ['no general section at all', '[database]\nengine = "sqlite"\nconnection = "x"', 'config: general.domain is required (the zone to serve, e.g. "auth.example.org")'],
  ['missing engine', configWith({ database: 'connection = "x"' }), 'config: database.engine is required (sqlite or postgres)'],
  ['empty connection', configWith({ database: 'engine = "sqlite"\nconnection = ""' }), 'config: database.connection must not be empty'],
  ['missing connection', configWith({ database: 'engine = "sqlite"' }), 'config: database.connection is required (a SQLite file path or a postgres:// URL)'],
  // names and addresses
  ['bad domain', configWith({ general: 'domain = "auth example.org"' }), 'config: general.domain: "auth example.org" is not a domain name'],
  ['bad nsname', configWith({ general: `${DOMAIN}\nnsname = "ns..example.org"` }), 'config: general.nsname: "ns..example.org" is not a domain name'],
  ['bad listen', configWith({ general: `${DOMAIN}\nlisten = "abc"` }), `config: general.listen: "abc" ${LISTEN}`],
  ['bad listen in a list', configWith({ general: `${DOMAIN}\nlisten = ["127.0.0.1:53", "::1:53"]` }), `config: general.listen: "::1:53" ${LISTEN}`],
  ['listen twice', configWith({ general: `${DOMAIN}\nlisten = ["127.0.0.1:53", "127.0.0.1:053"]` }), 'config: general.listen: "127.0.0.1:053" is listed twice'],
  ['empty listen list', configWith({ general: `${DOMAIN}\nlisten = []` }), 'config: general.listen must be an address "host:port" or a list of them (got an empty list)'],
  ['listen as a number', configWith({ general: `${DOMAIN}\nlisten = 53` }), 'config: general.listen must be an address "host:port" or a list of them (got 53)'],
  ['api.ip a host name', configWith({ api: 'ip = "localhost"' }), 'config: api.ip: "localhost" is not an IP address (e.g. "0.0.0.0", "127.0.0.1", "[::1]", or "" for all)'],
  ['bad CIDR', configWith({ api: 'trusted_proxies = ["10.0.0.0/8", "10.0.0.0/33"]' }), 'config: api.trusted_proxies: "10.0.0.0/33" is not a CIDR (prefix length must be 0-32)'],
  ['not an address', configWith({ api: 'trusted_proxies = ["proxy.example"]' }), 'config: api.trusted_proxies: "proxy.example" is not a CIDR (e.g. "10.0.0.0/8", "::1/128")'],
  ['bad header_name', configWith({ api: 'header_name = "X Forwarded For"' }), 'config: api.header_name: "X Forwarded For" is not an HTTP header name'],
  ['bad acme_directory', configWith({ api: 'tls = "acme"\nacme_directory = "acme.example"' }), 'config: api.acme_directory: "acme.example" is not an http(s) URL'],
  // numbers and durations
  ['bad duration', configWith({ txt: 'max_age = "7 weeks"' }), `config: txt.max_age must be ${DURATION} (got "7 weeks")`],
  ['negative duration', configWith({ general: `${DOMAIN}\nnegative_ttl = -1` }), `config: general.negative_ttl must be ${DURATION} (got -1)`],
  ['duration as a bool', configWith({ general: `${DOMAIN}\ntcp_idle_timeout = true` }), `config: general.tcp_idle_timeout must be ${DURATION} (got true)`],
  ['zero idle timeout', configWith({ general: `${DOMAIN}\ntcp_idle_timeout = 0` }), 'config: general.tcp_idle_timeout must be from 1 to 86400 seconds (got 0)'],
  ['TTL over 31 bits', configWith({ general: `${DOMAIN}\nstatic_ttl = 2147483648` }), 'config: general.static_ttl must be from 0 to 2147483647 seconds (got 2147483648)'],
  ['keep = 0', configWith({ txt: 'keep = 0' }), 'config: txt.keep must be an integer from 1 to 100 (got 0)'],
  ['keep = 101', configWith({ txt: 'keep = 101' }), 'config: txt.keep must be an integer from 1 to 100 (got 101)'],
  ['keep = 2.5', configWith({ txt: 'keep = 2.5' }), 'config: txt.keep must be an integer from 1 to 100 (got 2.5)'],
  ['keep as a string', configWith({ txt: 'keep = "4"' }), 'config: txt.keep must be an integer from 1 to 100 (got "4")'],
  ['max_body_bytes = 0', configWith({ api: 'max_body_bytes = 0' }), 'config: api.max_body_bytes must be an integer from 1 to 1073741824 (got 0)'],
  ['tcp_max_connections = 0', configWith({ general: `${DOMAIN}\ntcp_max_connections = 0` }), 'config: general.tcp_max_connections must be an integer from 1 to 1000000 (got 0)'],
  ['hsts_max_age as a string', configWith({ api: 'hsts_max_age = "1y"' }), 'config: api.hsts_max_age must be an integer (got "1y")'],
  // keys that go together
  ['tls = cert without a key', configWith({ api: 'tls = "cert"\ntls_cert_fullchain = "/f.pem"' }), 'config: api.tls_cert_privkey is required when tls = "cert"'],
  ['tls = cert without a chain', configWith({ api: 'tls = "cert"\ntls_cert_privkey = "/k.pem"' }), 'config: api.tls_cert_fullchain is required when tls = "cert"'],
  ['tls = acme without a directory', configWith({ api: 'tls = "acme"' }), 'config: api.acme_directory is required when tls = "acme"'],
  ['EAB kid alone', configWith({ api: 'acme_eab_kid = "kid"' }), 'config: api.acme_eab_hmac_key is required when acme_eab_kid is set'],
  ['EAB key alone', configWith({ api: 'acme_eab_hmac_key = "k"' }), 'config: api.acme_eab_kid is required when acme_eab_hmac_key is set'],
  ['use_header without a name', configWith({ api: 'use_header = true\nheader_name = ""' }), 'config: api.header_name is required when use_header = true'],
  ['logtype = file without a file', configWith({ logconfig: 'logtype = "file"' }), 'config: logconfig.logfile is required when logtype = "file"'],
  // the file itself
  ['TOML syntax error', '[general]\ndomain = "auth.example.org\n', 'config: test.cfg line 2, column 27: TOML syntax error: control characters are not allowed in strings'],
  ['TOML value missing', '[general]\n\ndomain =\n', 'config: test.cfg line 3, column 9: TOML syntax error: invalid value'],
  ['a key given twice', '[general]\ndomain = "a.example"\ndomain = "b.example"\n', 'config: test.cfg line 3, column 1: TOML syntax error: trying to redefine an already defined table or value'],
  ['one key in two spellings', configWith({ general: `${DOMAIN}\nDomain = "b.example"` }), 'config: general.domain is set twice (as "domain" and "Domain")'],
  ['two spellings of a section', `${configWith({})}\n[General]\nlisten = ":53"`, 'config: general is set twice (as "general" and "General")'],
  ['a __proto__ key', configWith({ api: '__proto__ = "x"' }), 'config: test.cfg line 7, column 1: TOML syntax error: document contains an unsafe property'],
])('%s', (_name, text, message) => {
  expect(() => parseConfig(text, NO_ENV, 'test.cfg')).toThrow(new ConfigError(message));
});

test('the error is a ConfigError of one line', () => {
  let caught: unknown;
  try {
    parseConfig(configWith({ api: 'tls = "foo"' }), NO_ENV);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  expect((caught as ConfigError).message).not.toContain('\n');
});
