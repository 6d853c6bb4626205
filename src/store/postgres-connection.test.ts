import { ConfigError } from '../core/errors';
import { describeConnection, parsePostgresConnection, toClientConfig } from './postgres-connection';

describe('parsePostgresConnection', () => {
  it.each<[string, Record<string, string>]>([
    ['postgres://user:pass@localhost/acmedns', { user: 'user', password: 'pass', host: 'localhost', dbname: 'acmedns' }],
    [
      'postgresql://acme:p%40ss%2Fw%3Ard@db.example.org:6543/acme?sslmode=disable',
      { user: 'acme', password: 'p@ss/w:rd', host: 'db.example.org', port: '6543', dbname: 'acme', sslmode: 'disable' },
    ],
    ['postgres://u@[::1]:5433/d', { user: 'u', host: '::1', port: '5433', dbname: 'd' }],
    ['postgres:///d?host=/var/run/postgresql', { dbname: 'd', host: '/var/run/postgresql' }],
    ['postgres://u@h/d?host=other&search_path=acme', { user: 'u', host: 'other', dbname: 'd', search_path: 'acme' }],
    [
      'host=localhost user=acmedns password=secret dbname=acmedns sslmode=disable',
      { host: 'localhost', user: 'acmedns', password: 'secret', dbname: 'acmedns', sslmode: 'disable' },
    ],
    ["  host = db   port=5432\tpassword='it s' ", { host: 'db', port: '5432', password: 'it s' }],
    ["password='a b\\'c\\\\d' user=x", { password: "a b'c\\d", user: 'x' }],
    ['password=a\\ b user=x', { password: 'a b', user: 'x' }],
    ["password='' user=x", { password: '', user: 'x' }],
    ['', {}],
  ])('%s', (input, expected) => {
    expect(parsePostgresConnection(input)).toEqual(expected);
  });

  it.each([
    ['host', /missing "=" after "host"/],
    ['host=db user', /missing "=" after "user"/],
    ["password='unterminated", /unterminated quoted value of "password"/],
    ['=x', /missing "="/],
    ['postgres://u:secret@[bad/d', /not a valid postgres:\/\/ URL/],
  ])('refuses %j without echoing it', (input, message) => {
    expect(() => parsePostgresConnection(input)).toThrow(ConfigError);
    expect(() => parsePostgresConnection(input)).toThrow(message);
    try {
      parsePostgresConnection(input);
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
  });
});

describe('toClientConfig', () => {
  const pem = (file: string): string => `PEM(${file})`;

  it('maps host, port, credentials, database, timeouts and names', () => {
    const config = toClientConfig(
      parsePostgresConnection('host=db port=6543 user=u password=p dbname=d connect_timeout=3 fallback_application_name=acmedns sslmode=disable'),
      pem,
    );
    expect(config).toEqual({
      host: 'db', port: 6543, user: 'u', password: 'p', database: 'd',
      connectionTimeoutMillis: 3000, application_name: 'acmedns', ssl: false,
    });
  });

  it('defaults to localhost:5432', () => {
    expect(toClientConfig({ sslmode: 'disable' }, pem)).toEqual({ host: 'localhost', port: 5432, ssl: false });
  });

  it('sends unknown keywords as server run-time parameters and drops driver-only ones', () => {
    const config = toClientConfig({ sslmode: 'disable', search_path: 'acme dns', binary_parameters: 'yes' }, pem);
    expect(config.options).toBe('-c search_path=acme\\ dns');
  });

  it.each<[Record<string, string>, unknown]>([
    [{}, { rejectUnauthorized: false }],
    [{ sslmode: 'disable' }, false],
    [{ sslmode: 'allow' }, false],
    [{ sslmode: 'prefer' }, { rejectUnauthorized: false }],
    [{ sslmode: 'require' }, { rejectUnauthorized: false }],
    [{ sslmode: 'require', sslrootcert: 'ca.pem' }, { ca: 'PEM(ca.pem)', checkServerIdentity: expect.any(Function) }],
    [{ sslmode: 'verify-ca', sslrootcert: 'ca.pem' }, { ca: 'PEM(ca.pem)', checkServerIdentity: expect.any(Function) }],
    [{ sslmode: 'verify-full' }, {}],
    [{ sslmode: 'verify-full', sslrootcert: 'system' }, {}],
    [
      { sslmode: 'verify-full', sslrootcert: 'ca.pem', sslcert: 'c.pem', sslkey: 'k.pem' },
      { ca: 'PEM(ca.pem)', cert: 'PEM(c.pem)', key: 'PEM(k.pem)' },
    ],
    [{ sslmode: 'verify-full', sslinline: 'true', sslrootcert: '-----BEGIN' }, { ca: '-----BEGIN' }],
  ])('sslmode as lib/pq: %j', (params, ssl) => {
    expect(toClientConfig(params, pem).ssl).toEqual(ssl);
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ sslmode: 'sometimes' }, /unsupported sslmode "sometimes"/],
    [{ port: 'http' }, /bad port/],
    [{ port: '70000' }, /bad port/],
    [{ connect_timeout: 'soon' }, /bad connect_timeout/],
  ])('refuses %j', (params, message) => {
    expect(() => toClientConfig(params, pem)).toThrow(message);
  });
});

describe('describeConnection', () => {
  it('names user, host, port and database, never the password', () => {
    const params = parsePostgresConnection('postgres://acme:hunter22@db:6543/acmedns');
    expect(describeConnection(params)).toBe('postgres acme@db:6543/acmedns');
    expect(describeConnection({})).toBe('postgres localhost:5432/');
  });
});
