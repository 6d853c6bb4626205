/** `[rrl]`: defaults (off, BIND's numbers), every key set, environment overrides, and bad values named by key. */
import { parseConfig } from '.';

const base = '[general]\ndomain = "auth.example.org"\n[database]\nengine = "sqlite"\nconnection = "x.db"\n';

test('defaults: off, with BIND-like numbers ready for when it is turned on', () => {
  expect(parseConfig(base, {}).rrl).toEqual({
    enabled: false,
    responsesPerSecond: 20,
    slip: 2,
    windowSeconds: 15,
    ipv4Prefix: 24,
    ipv6Prefix: 56,
    exempt: [],
    tableSize: 20000,
  });
});

test('every key, exempt entries normalised (a bare address is a host route)', () => {
  const toml = `${base}[rrl]
enabled = true
responses_per_second = 5
slip = 0
window = "1m"
ipv4_prefix = 32
ipv6_prefix = 64
exempt = ["192.0.2.0/24", "2001:db8::1"]
table_size = 500
`;
  expect(parseConfig(toml, {}).rrl).toEqual({
    enabled: true,
    responsesPerSecond: 5,
    slip: 0,
    windowSeconds: 60,
    ipv4Prefix: 32,
    ipv6Prefix: 64,
    exempt: ['192.0.2.0/24', '2001:db8::1/128'],
    tableSize: 500,
  });
});

test('environment overrides', () => {
  const env = { ACMEDNS_RRL_ENABLED: 'true', ACMEDNS_RRL_SLIP: '1', ACMEDNS_RRL_EXEMPT: '10.0.0.0/8,127.0.0.1' };
  expect(parseConfig(base, env).rrl).toMatchObject({ enabled: true, slip: 1, exempt: ['10.0.0.0/8', '127.0.0.1/32'] });
});

test.each([
  ['responses_per_second = 0', 'config: rrl.responses_per_second must be an integer from 1 to 1000000 (got 0)'],
  ['slip = 11', 'config: rrl.slip must be an integer from 0 to 10 (got 11)'],
  ['slip = -1', 'config: rrl.slip must be an integer from 0 to 10 (got -1)'],
  ['window = 0', 'rrl.window'],
  ['window = "2h"', 'rrl.window'],
  ['ipv4_prefix = 33', 'config: rrl.ipv4_prefix must be an integer from 0 to 32 (got 33)'],
  ['ipv6_prefix = 129', 'config: rrl.ipv6_prefix must be an integer from 0 to 128 (got 129)'],
  ['ipv6_prefix = "56"', 'rrl.ipv6_prefix'],
  ['exempt = ["10.0.0.0/33"]', 'rrl.exempt'],
  ['exempt = "10.0.0.0/8"', 'rrl.exempt'],
  ['table_size = 0', 'rrl.table_size'],
  ['enabled = "yes"', 'rrl.enabled'],
])('%s is refused: %s', (line, message) => {
  expect(() => parseConfig(`${base}[rrl]\n${line}\n`, {})).toThrow(message);
});
