import { ConfigError } from '../../core/errors';
import { describeConnection, parsePostgresConnection, toClientConfig } from './connection';

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

  // Each input holds the password "s3cr3t-Pw" (or a piece of it) where a typo put it; the message
  // must hold no piece of it, only a position or a known keyword.
  it.each<[string, string]>([
    ['host', 'database.connection: the word at character 1 has no "=" after it'],
    ['host=db password=s3cr3t Pw', 'database.connection: the word at character 25 has no "=" after it'],
    ['host=db password=s3cr3t -Pw user=x', 'database.connection: the word at character 25 has no "=" after it'],
    ["host=db password='s3cr3t-Pw", "database.connection: password's quoted value opened at character 18 is never closed"],
    ["host=db s3cr3t='-Pw", 'database.connection: the quoted value opened at character 16 is never closed'],
    ['=s3cr3t-Pw', 'database.connection: "=" without a keyword before it at character 1'],
    ['host=db =s3cr3t-Pw', 'database.connection: "=" without a keyword before it at character 9'],
    ['host=db sslmode=s3cr3t-Pw', 'database.connection: unsupported sslmode'],
    ['postgres://u:s3cr3t-Pw@[bad/d', 'database.connection: not a valid postgres:// URL'],
    ['postgres://u:s3cr3t/Pw@db/acmedns', 'database.connection: not a valid postgres:// URL'],
    ['postgres://u:12/34s3cr3t-Pw@db/acmedns', "database.connection: '@' after the host"],
    ['postgres://u:12?s3cr3t-Pw@db/acmedns', "database.connection: '@' after the host"],
    ['postgres://u:12#s3cr3t-Pw@db/acmedns', "database.connection: '@' after the host"],
    ['postgres://u:s3cr3t%ZZPw@db/acmedns', "database.connection: bad percent-encoding in the URL's password"],
  ])('refuses %j naming the place, never the text', (input, message) => {
    let error: unknown;
    try {
      toClientConfig(parsePostgresConnection(input), () => '');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as Error).message;
    expect(text.startsWith(message)).toBe(true);
    for (const piece of ['s3cr3t', 'Pw', '12', '34']) expect(text).not.toContain(piece);
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
    [{ sslmode: 'sometimes' }, /unsupported sslmode \(disable, allow, prefer, require, verify-ca, verify-full\)$/],
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
