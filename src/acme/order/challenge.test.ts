import { challengeRecordName } from './challenge';

describe('challengeRecordName (RFC 8555 §8.4)', () => {
  it.each([
    ['auth.example.org', 'auth.example.org', '_acme-challenge.auth.example.org'],
    ['Auth.Example.ORG.', 'auth.example.org', '_acme-challenge.auth.example.org'],
    ['api.auth.example.org', 'auth.example.org', '_acme-challenge.api.auth.example.org'],
    ['api.example.org', 'auth.example.org', '_acme-challenge.api.example.org.auth.example.org'],
    ['xauth.example.org', 'auth.example.org', '_acme-challenge.xauth.example.org.auth.example.org'],
    ['auth.example.org', 'AUTH.example.org.', '_acme-challenge.auth.example.org'],
  ])('%s in zone %s -> %s', (identifier, zone, expected) => {
    expect(challengeRecordName(identifier, zone)).toBe(expected);
  });
});
