import { dnsNames, splitChain, unusableReason, type CertificateInfo } from './certificate';

describe('dnsNames', () => {
  it.each<[string | undefined, string[]]>([
    ['DNS:auth.example.org', ['auth.example.org']],
    ['DNS:Auth.Example.org, DNS:api.example.org', ['auth.example.org', 'api.example.org']],
    ['IP Address:127.0.0.1, DNS:a.test', ['a.test']],
    ['', []],
    [undefined, []],
  ])('%j -> %j', (san, expected) => {
    expect(dnsNames(san)).toEqual(expected);
  });
});

describe('splitChain', () => {
  const block = (n: number) => `-----BEGIN CERTIFICATE-----\nAAA${n}\n-----END CERTIFICATE-----`;
  it.each<[string, number]>([
    [`${block(1)}\n${block(2)}\n`, 2],
    [`${block(1)}\n\n${block(2)}\n\n${block(3)}`, 3],
    ['-----BEGIN PRIVATE KEY-----\nX\n-----END PRIVATE KEY-----', 0],
    ['', 0],
  ])('finds the certificates in order', (chain, count) => {
    const parts = splitChain(chain);
    expect(parts).toHaveLength(count);
    parts.forEach((p, i) => expect(p).toContain(`AAA${i + 1}`));
  });
});

describe('unusableReason', () => {
  const info: CertificateInfo = { notBefore: 1000, notAfter: 100_000, names: ['auth.example.org', 'api.example.org'], serial: '01', leafPem: '' };
  it.each<[string, readonly string[], number, RegExp | undefined]>([
    ['covers the names and is valid', ['auth.example.org'], 50_000, undefined],
    ['names compare case-insensitively', ['Auth.Example.org', 'api.example.org'], 50_000, undefined],
    ['past its renewal time still serves', ['auth.example.org'], 99_999, undefined],
    ['a missing name', ['auth.example.org', 'other.example.org'], 50_000, /does not cover other\.example\.org/],
    ['expired', ['auth.example.org'], 100_000, /expired/],
    ['not yet valid (beyond clock skew)', ['auth.example.org'], 1000 - 3600_001, /not valid before/],
  ])('%s', (_label, names, now, expected) => {
    const reason = unusableReason(info, names, now);
    if (expected) expect(reason).toMatch(expected);
    else expect(reason).toBeUndefined();
  });
});
