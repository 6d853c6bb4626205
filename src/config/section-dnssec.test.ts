/** `[dnssec]`: defaults (off, Knot-like times), every key set, environment overrides, bad values named by key, and the refusal beside zone transfers. */
import { parseConfig } from '.';

const base = '[general]\ndomain = "auth.example.org"\n[database]\nengine = "sqlite"\nconnection = "x.db"\n';

test('defaults: off, ECDSA P-256, signatures valid 14 days, made again at 7, inception an hour back', () => {
  expect(parseConfig(base, {}).dnssec).toEqual({
    enabled: false,
    algorithm: 13,
    timing: { validity: 14 * 86400, refresh: 7 * 86400, inceptionOffset: 3600 },
    dnskeyTtl: 3600,
    keyPoll: 5,
    propagationDelay: 3600,
    signatureCacheSize: 100_000,
  });
});

test('every key, durations in any of the config forms', () => {
  const toml = `${base}[dnssec]
enabled = true
algorithm = "ED25519"
signature_validity = "2d"
signature_refresh = "12h"
inception_offset = "5m"
dnskey_ttl = 300
key_poll = "1s"
propagation_delay = 0
signature_cache_size = 10
`;
  expect(parseConfig(toml, {}).dnssec).toEqual({
    enabled: true,
    algorithm: 15,
    timing: { validity: 2 * 86400, refresh: 12 * 3600, inceptionOffset: 300 },
    dnskeyTtl: 300,
    keyPoll: 1,
    propagationDelay: 0,
    signatureCacheSize: 10,
  });
});

test.each([
  ['ecdsap256sha256', 13],
  ['13', 13],
  ['ed25519', 15],
  ['15', 15],
  ['', 13],
])('algorithm = %j is %i', (name, number) => {
  expect(parseConfig(`${base}[dnssec]\nalgorithm = "${name}"\n`, {}).dnssec.algorithm).toBe(number);
});

test('environment overrides', () => {
  const env = { ACMEDNS_DNSSEC_ENABLED: 'true', ACMEDNS_DNSSEC_ALGORITHM: 'ed25519', ACMEDNS_DNSSEC_KEY_POLL: '2s', ACMEDNS_DNSSEC_DNSKEY_TTL: '60' };
  expect(parseConfig(base, env).dnssec).toMatchObject({ enabled: true, algorithm: 15, keyPoll: 2, dnskeyTtl: 60 });
});

test.each([
  ['algorithm = "rsasha256"', 'config: dnssec.algorithm must be one of ecdsap256sha256, ed25519'],
  ['algorithm = 13', 'dnssec.algorithm'],
  ['enabled = "yes"', 'dnssec.enabled'],
  ['signature_validity = "30s"', 'config: dnssec.signature_validity'],
  ['signature_validity = "soon"', 'config: dnssec.signature_validity'],
  ['signature_refresh = "14d"', 'config: dnssec.signature_refresh must be less than signature_validity (1209600 s), got 1209600 s'],
  ['signature_validity = "1d"', 'config: dnssec.signature_refresh must be less than signature_validity (86400 s), got 604800 s'],
  ['signature_validity = "1h"\nsignature_refresh = "10m"', 'config: dnssec.inception_offset must be less than signature_validity (3600 s), got 3600 s'],
  ['inception_offset = "8d"', 'config: dnssec.inception_offset'],
  ['dnskey_ttl = 0', 'config: dnssec.dnskey_ttl must be an integer from 1 to 604800 (got 0)'],
  ['key_poll = 0', 'config: dnssec.key_poll'],
  ['propagation_delay = -1', 'config: dnssec.propagation_delay'],
  ['signature_cache_size = 0', 'config: dnssec.signature_cache_size must be an integer from 1 to 10000000 (got 0)'],
])('%s is refused: %s', (line, message) => {
  expect(() => parseConfig(`${base}[dnssec]\n${line}\n`, {})).toThrow(message);
});

// Issue 11's out-of-scope rule: transfers carry the zone unsigned; a secondary would serve it bogus.
test.each([
  ['secondaries = ["192.0.2.53"]'],
  ['allow = ["198.51.100.0/24"]'],
])('refuses DNSSEC together with zone transfers (%s), naming both sections', (transfer) => {
  const toml = `${base}[transfer]\n${transfer}\n[dnssec]\nenabled = true\n`;
  expect(() => parseConfig(toml, {})).toThrow(
    /^config: dnssec\.enabled must be false while \[transfer\] has secondaries or allow set: zone transfers carry the zone unsigned/,
  );
  expect(() => parseConfig(`${base}[transfer]\n${transfer}\n`, { ACMEDNS_DNSSEC_ENABLED: 'true' })).toThrow('(from ACMEDNS_DNSSEC_ENABLED)');
  // Either one alone is fine.
  expect(parseConfig(`${base}[transfer]\n${transfer}\n[dnssec]\nenabled = false\n`, {}).dnssec.enabled).toBe(false);
  expect(parseConfig(`${base}[dnssec]\nenabled = true\n`, {}).dnssec.enabled).toBe(true);
});
