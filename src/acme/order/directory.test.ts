import { certificateNames, directoryUrlFor, LETSENCRYPT_PRODUCTION, LETSENCRYPT_STAGING } from './directory';
import type { TlsMode } from '../../config/types';

describe('directoryUrlFor', () => {
  it.each<[TlsMode, string, string | undefined]>([
    ['letsencrypt', '', LETSENCRYPT_PRODUCTION],
    ['letsencryptstaging', '', LETSENCRYPT_STAGING],
    ['acme', 'https://ca.example/acme/directory', 'https://ca.example/acme/directory'],
    ['letsencrypt', 'https://ignored.example/dir', LETSENCRYPT_PRODUCTION],
    ['none', 'https://ignored.example/dir', undefined],
    ['cert', '', undefined],
  ])('tls = %s (acme_directory %j) -> %s', (tls, acmeDirectory, expected) => {
    expect(directoryUrlFor({ tls, acmeDirectory })).toBe(expected);
  });

  it('points at the Let\'s Encrypt v2 directories acme-dns uses through certmagic', () => {
    expect(LETSENCRYPT_PRODUCTION).toBe('https://acme-v02.api.letsencrypt.org/directory');
    expect(LETSENCRYPT_STAGING).toBe('https://acme-staging-v02.api.letsencrypt.org/directory');
  });
});

describe('certificateNames', () => {
  it.each<[string, string, string[]]>([
    ['auth.example.org', '', ['auth.example.org']],
    ['auth.example.org', 'api.example.org', ['auth.example.org', 'api.example.org']],
    ['Auth.Example.org.', 'AUTH.example.org', ['auth.example.org']],
    ['auth.example.org', '  ', ['auth.example.org']],
  ])('%j + %j -> %j', (domain, apiDomain, expected) => {
    expect(certificateNames(domain, apiDomain)).toEqual(expected);
  });
});
