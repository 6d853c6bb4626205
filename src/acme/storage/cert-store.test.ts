import { directoryKey, safeName } from './cert-store';

describe('directoryKey (certmagic-compatible, so acme-dns\'s cache lines up)', () => {
  it.each([
    ['https://acme-v02.api.letsencrypt.org/directory', 'acme-v02.api.letsencrypt.org-directory'],
    ['https://acme-staging-v02.api.letsencrypt.org/directory', 'acme-staging-v02.api.letsencrypt.org-directory'],
    ['https://127.0.0.1:14000/dir', '127.0.0.1-14000-dir'],
    ['https://ca.example/acme/acme/directory/', 'ca.example-acme-acme-directory'],
    ['https://CA.Example/', 'ca.example'],
  ])('%s -> %s', (url, expected) => {
    expect(directoryKey(url)).toBe(expected);
  });
});

describe('safeName', () => {
  it.each([
    ['Auth.Example.org', 'auth.example.org'],
    ['*.example.org', 'wildcard_.example.org'],
    ['../../etc/passwd', 'etcpasswd'],
    ['a b+c', 'a_b_plus_c'],
  ])('%s -> %s', (name, expected) => {
    expect(safeName(name)).toBe(expected);
  });
});
