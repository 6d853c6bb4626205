import { applyEnv, coerce } from './env';
import type { EnvKind } from './keys';

describe('coerce', () => {
  test.each<[string, EnvKind, unknown]>([
    ['8443', 'string', '8443'],
    [' keep spaces ', 'string', ' keep spaces '],
    ['true', 'bool', true],
    ['TRUE', 'bool', true],
    ['1', 'bool', true],
    ['false', 'bool', false],
    ['0', 'bool', false],
    ['yes', 'bool', 'yes'],
    ['8443', 'int', 8443],
    [' -5 ', 'int', -5],
    ['7d', 'int', '7d'],
    ['1.5', 'int', '1.5'],
    ['a, b ,,c', 'list', ['a', 'b', 'c']],
    ['127.0.0.1:5353,[::1]:5353', 'list', ['127.0.0.1:5353', '[::1]:5353']],
    ['["x, y", "z"]', 'list', ['x, y', 'z']],
    ['[1, 2]', 'list', [1, 2]],
    ['[not json', 'list', '[not json'],
    ['', 'list', []],
  ])('%p as %s -> %p', (text, kind, want) => {
    expect(coerce(text, kind)).toEqual(want);
  });
});

describe('applyEnv', () => {
  test('overrides known keys, records their variables, warns about unknown ones', () => {
    const doc = { general: { domain: 'a.example' }, api: { port: '443' } };
    const result = applyEnv(doc, {
      ACMEDNS_API_PORT: '8443',
      ACMEDNS_API_TLS_CERT_PRIVKEY: '/k.pem',
      ACMEDNS_TXT_KEEP: '8',
      ACMEDNS_API_NOPE: 'x',
      ACMEDNS_NOSECTION_KEY: 'x',
      ACMEDNS_API: 'x',
      PATH: '/bin',
      acmedns_api_port: '1',
    });
    expect(result.doc).toEqual({
      general: { domain: 'a.example' },
      api: { port: 8443, tls_cert_privkey: '/k.pem' },
      txt: { keep: 8 },
    });
    expect(doc.api.port).toBe('443'); // the input is not changed
    expect([...result.origins]).toEqual([
      ['api.port', 'ACMEDNS_API_PORT'],
      ['api.tls_cert_privkey', 'ACMEDNS_API_TLS_CERT_PRIVKEY'],
      ['txt.keep', 'ACMEDNS_TXT_KEEP'],
    ]);
    expect(result.warnings).toEqual([
      'config: environment variable ACMEDNS_API is not a known key; ignored',
      'config: environment variable ACMEDNS_API_NOPE is not a known key; ignored',
      'config: environment variable ACMEDNS_NOSECTION_KEY is not a known key; ignored',
    ]);
  });
});
