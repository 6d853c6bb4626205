import type { TsigAlgorithm } from '../store/types';
import type { NewTsigKey } from './tsig-keys';
import { defaultServer, hostPort, parseServerAddress, tsigKeyDocument, tsigKeyListing, tsigSettings, type ServerAddress } from './tsig-settings';

const ZONE = 'auth.example.org';
const FQDN = `8e5700ea-a4bf-4fe4-9f5c-5bb01d4e53a7.${ZONE}`;
const SECRET = 'q2Qp0m8u1kS0/Yv+Wk1uQmT3b3JkZm9vYmFyYmF6cXV4MDE=';
const key = (algorithm: TsigAlgorithm = 'hmac-sha256'): NewTsigKey => ({
  name: `0a1b2c3d.${FQDN}`,
  algorithm,
  secret: SECRET,
  fqdn: FQDN,
  username: 'c36f50e8-4632-44f0-83fe-e070fef28a10',
});
const NS: ServerAddress = { host: 'ns1.auth.example.org', port: 53 };

describe('server addresses', () => {
  test.each<[string, ServerAddress | undefined]>([
    ['ns1.auth.example.org', { host: 'ns1.auth.example.org', port: 53 }],
    ['ns1.auth.example.org.:5353', { host: 'ns1.auth.example.org', port: 5353 }],
    ['192.0.2.53:53', { host: '192.0.2.53', port: 53 }],
    ['192.0.2.53', { host: '192.0.2.53', port: 53 }],
    ['[2001:db8::53]:5353', { host: '2001:db8::53', port: 5353 }],
    ['[2001:db8::53]', { host: '2001:db8::53', port: 53 }],
    ['2001:db8::53', { host: '2001:db8::53', port: 53 }],
    [' 127.0.0.1:1053 ', { host: '127.0.0.1', port: 1053 }],
    ['host:0', undefined],
    ['host:65536', undefined],
    ['host:port', undefined],
    ['[not-v6]:53', undefined],
    ['', undefined],
    ['a b:53', undefined],
    ['ns;rm -rf /:53', undefined],
  ])('%j -> %j', (text, expected) => {
    expect(parseServerAddress(text)).toEqual(expected);
  });

  test.each<[ServerAddress, string]>([
    [NS, 'ns1.auth.example.org:53'],
    [{ host: '2001:db8::53', port: 5353 }, '[2001:db8::53]:5353'],
  ])('%j as host:port -> %s', (server, text) => {
    expect(hostPort(server)).toBe(text);
  });

  test.each<[number | undefined, number]>([
    [53, 53],
    [5353, 5353],
    [0, 53],
    [undefined, 53],
  ])('default: nsname on the listen port %j -> %i', (port, expected) => {
    expect(defaultServer('ns1.auth.example.org', port)).toEqual({ host: 'ns1.auth.example.org', port: expected });
  });
});

describe('client settings', () => {
  test('every client, for an hmac-sha256 key', () => {
    const doc = tsigKeyDocument(key(), { host: '2001:db8::53', port: 5353 }, ZONE);
    const name = `0a1b2c3d.${FQDN}`;
    expect(Object.keys(doc)).toEqual(['name', 'algorithm', 'secret', 'fqdn', 'server', 'zone', 'settings']);
    expect(doc).toMatchObject({ name, algorithm: 'hmac-sha256', secret: SECRET, fqdn: FQDN, server: '[2001:db8::53]:5353', zone: ZONE });
    const s = doc.settings;
    expect(s.nsupdateKey).toBe(`hmac-sha256:${name}.:${SECRET}`);
    expect(s.keyFile).toBe(`key "${name}." {\n\talgorithm hmac-sha256;\n\tsecret "${SECRET}";\n};\n`);
    expect(s.keyFileName).toBe(`${name}.key`);
    expect(s.nsupdateCommands).toBe(
      [
        'server 2001:db8::53 5353',
        `zone ${ZONE}.`,
        `update add ${FQDN}. 60 TXT "acmedns-tsig-test"`,
        'send',
        `update delete ${FQDN}. TXT "acmedns-tsig-test"`,
        'send',
        '',
      ].join('\n'),
    );
    expect(s.lego).toEqual({
      RFC2136_NAMESERVER: '[2001:db8::53]:5353',
      RFC2136_TSIG_KEY: `${name}.`,
      RFC2136_TSIG_SECRET: SECRET,
      RFC2136_TSIG_ALGORITHM: 'hmac-sha256.',
    });
    expect(s.acmeSh).toEqual({ NSUPDATE_SERVER: '2001:db8::53', NSUPDATE_SERVER_PORT: '5353', NSUPDATE_KEY: `$PWD/${name}.key`, NSUPDATE_ZONE: ZONE });
    expect(s.acmeShCommand).toBe(`acme.sh --issue --dns dns_nsupdate -d example.com --domain-alias ${FQDN}`);
    expect(s.certManager?.secret).toBe(
      ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: acmedns-tsig-0a1b2c3d', 'type: Opaque', 'stringData:', `  secret: "${SECRET}"`, ''].join('\n'),
    );
    expect(s.certManager?.solver).toBe(
      [
        '- dns01:',
        '    cnameStrategy: Follow',
        '    rfc2136:',
        '      nameserver: "[2001:db8::53]:5353"',
        `      tsigKeyName: "${name}."`,
        '      tsigAlgorithm: HMACSHA256',
        '      tsigSecretSecretRef:',
        '        name: acmedns-tsig-0a1b2c3d',
        '        key: secret',
        '',
      ].join('\n'),
    );
  });

  test.each<[TsigAlgorithm, string | undefined, string | undefined]>([
    ['hmac-sha256', 'hmac-sha256.', 'HMACSHA256'],
    ['hmac-sha512', 'hmac-sha512.', 'HMACSHA512'],
    ['hmac-sha384', 'hmac-sha384.', undefined],
    ['hmac-sha224', 'hmac-sha224.', undefined],
    ['hmac-sha1', 'hmac-sha1.', 'HMACSHA1'],
    // lego (Debian 4.9.1, miekg/dns) cannot sign with md5 under any name: `dns: bad key algorithm`.
    ['hmac-md5', undefined, 'HMACMD5'],
  ])('%s: lego %s, cert-manager %s', (algorithm, lego, certManager) => {
    const s = tsigSettings(key(algorithm), NS, ZONE);
    expect(s.lego?.RFC2136_TSIG_ALGORITHM ?? null).toBe(lego ?? null);
    expect(s.certManager?.tsigAlgorithm ?? null).toBe(certManager ?? null);
    expect(s.nsupdateKey.startsWith(`${algorithm}:`)).toBe(true);
    expect(s.keyFile).toContain(`\talgorithm ${algorithm};\n`);
    expect(s.nsupdateCommands.startsWith('server ns1.auth.example.org 53\n')).toBe(true);
  });
});

describe('listings', () => {
  test.each<[number, string | null]>([
    [1_714_564_800, '2024-05-01T12:00:00Z'],
    [1e300, null],
  ])('created %d -> %j; never a secret', (createdAt, created) => {
    expect(tsigKeyListing({ name: 'k.example', algorithm: 'hmac-sha1', createdAt })).toEqual({ name: 'k.example', algorithm: 'hmac-sha1', created });
  });
});
