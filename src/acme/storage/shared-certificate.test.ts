import type { CertificateInfo } from '../certificate';
import { certificateIdentity, isNewer } from './shared-certificate';

describe('certificateIdentity', () => {
  it.each<[string, string[], string]>([
    // The names' order, case, a trailing dot and duplicates do not change the identity.
    ['https://acme-v02.api.letsencrypt.org/directory', ['auth.example.org', 'api.example.org'], 'acme-v02.api.letsencrypt.org-directory/api.example.org,auth.example.org'],
    ['https://acme-v02.api.letsencrypt.org/directory', ['API.example.org.', 'auth.example.org', 'api.example.org'], 'acme-v02.api.letsencrypt.org-directory/api.example.org,auth.example.org'],
    // Another CA (staging) is another certificate.
    ['https://acme-staging-v02.api.letsencrypt.org/directory', ['auth.example.org'], 'acme-staging-v02.api.letsencrypt.org-directory/auth.example.org'],
    ['https://127.0.0.1:14000/dir', ['auth.example.test'], '127.0.0.1-14000-dir/auth.example.test'],
  ])('%s %p -> %s', (directory, names, identity) => {
    expect(certificateIdentity(directory, names)).toBe(identity);
  });
});

describe('isNewer', () => {
  const info = (notAfter: number, leafPem: string): CertificateInfo => ({ notBefore: 0, notAfter, names: [], serial: leafPem, leafPem });
  it.each<[string, CertificateInfo, CertificateInfo, boolean]>([
    ['expires later', info(2000, 'b'), info(1000, 'a'), true],
    ['expires earlier', info(1000, 'b'), info(2000, 'a'), false],
    ['the same certificate', info(1000, 'a'), info(1000, 'a'), false],
    // A forced renewal within the second of the last issuance: same notAfter, another certificate.
    ['same second, another certificate', info(1000, 'b'), info(1000, 'a'), true],
  ])('%s', (_label, stored, held, expected) => {
    expect(isNewer(stored, held)).toBe(expected);
  });
});
