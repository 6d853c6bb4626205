/**
 * `[api] web` and `[api] check_resolvers` (issue 13), and the delegation check's limits in
 * `[ratelimit]`: defaults, file values, environment overrides, and bad values named.
 */
import { parseConfig } from '.';

const MINIMAL = '[general]\ndomain = "auth.example.org"\n[database]\nengine = "sqlite"\nconnection = "acme.db"\n';

test('defaults: the page on, the system resolvers, the check limits on', () => {
  const config = parseConfig(MINIMAL, {});
  expect([config.api.web, config.api.checkResolvers]).toEqual([true, []]);
  expect(config.ratelimit).toMatchObject({ checkPerHour: 60, checkBurst: 10, checkPerAddressPerHour: 120, checkPerAddressBurst: 20 });
});

test('web = false turns the page off', () => {
  expect(parseConfig(`${MINIMAL}[api]\nweb = false\n`, {}).api.web).toBe(false);
});

test('resolvers as node:dns setServers takes them: port 53 implied, IPv6 bracketed with a port', () => {
  const config = parseConfig(`${MINIMAL}[api]\ncheck_resolvers = ["192.0.2.53", " 192.0.2.54:5353 ", "2001:db8::53", "[2001:db8::54]:5353", "[2001:db8::55]:53", "127.0.0.1:53"]\n`, {});
  expect(config.api.checkResolvers).toEqual(['192.0.2.53', '192.0.2.54:5353', '2001:db8::53', '[2001:db8::54]:5353', '2001:db8::55', '127.0.0.1']);
});

test('ACMEDNS_API_WEB and ACMEDNS_API_CHECK_RESOLVERS (comma-separated), ACMEDNS_RATELIMIT_CHECK_*', () => {
  const config = parseConfig(MINIMAL, {
    ACMEDNS_API_WEB: 'false',
    ACMEDNS_API_CHECK_RESOLVERS: '10.0.0.53:5353,[::1]:5353',
    ACMEDNS_RATELIMIT_CHECK_PER_HOUR: '0',
    ACMEDNS_RATELIMIT_CHECK_PER_ADDRESS_BURST: '3',
  });
  expect([config.api.web, config.api.checkResolvers]).toEqual([false, ['10.0.0.53:5353', '[::1]:5353']]);
  expect(config.ratelimit).toMatchObject({ checkPerHour: 0, checkPerAddressBurst: 3 });
});

test.each<[string, string]>([
  ['[api]\nweb = "yes"', 'config: api.web must be true or false (got "yes")'],
  ['[api]\ncheck_resolvers = ["resolver.example"]', 'config: api.check_resolvers: "resolver.example" is not an IP address with an optional port'],
  ['[api]\ncheck_resolvers = ["192.0.2.53:0"]', 'config: api.check_resolvers: "192.0.2.53:0" is not an IP address with an optional port'],
  ['[api]\ncheck_resolvers = "192.0.2.53"', 'config: api.check_resolvers must be a list of resolver addresses (got "192.0.2.53")'],
  ['[ratelimit]\ncheck_burst = 0', 'config: ratelimit.check_burst must be an integer from 1 to 1000000 (got 0)'],
])('%s stops the start naming the key', (lines, message) => {
  expect(() => parseConfig(`${MINIMAL}${lines}\n`, {})).toThrow(message);
});
