import { certificateIdentity } from './shared';

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
