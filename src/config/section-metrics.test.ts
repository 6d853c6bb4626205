/** `[metrics] allow`: who may scrape; loopback by default, CIDRs from the file or the environment. */
import { parseConfig } from '.';

const MINIMAL = '[general]\ndomain = "auth.example.org"\n[database]\nengine = "sqlite"\nconnection = "acme.db"\n';

test('defaults to the loopback ranges', () => {
  expect(parseConfig(MINIMAL, {}).metrics.allow).toEqual(['127.0.0.0/8', '::1/128']);
});

test('a list of CIDRs and bare addresses, normalised', () => {
  const config = parseConfig(`${MINIMAL}[metrics]\nallow = ["10.1.2.3", "2001:db8::/32"]\n`, {});
  expect(config.metrics.allow).toEqual(['10.1.2.3/32', '2001:db8::/32']);
});

test('an empty list admits nobody (it is not replaced by the default)', () => {
  expect(parseConfig(`${MINIMAL}[metrics]\nallow = []\n`, {}).metrics.allow).toEqual([]);
});

test('ACMEDNS_METRICS_ALLOW, comma-separated', () => {
  const config = parseConfig(MINIMAL, { ACMEDNS_METRICS_ALLOW: '192.0.2.10/32,::1' });
  expect(config.metrics.allow).toEqual(['192.0.2.10/32', '::1/128']);
});

test.each<[string, string]>([
  ['allow = ["prometheus.internal"]', 'config: metrics.allow: "prometheus.internal" is not a CIDR (e.g. "10.0.0.0/8", "::1/128")'],
  ['allow = ["10.0.0.0/40"]', 'config: metrics.allow: "10.0.0.0/40" is not a CIDR (prefix length must be 0-32)'],
  ['allow = "10.0.0.0/8"', 'config: metrics.allow must be a list of CIDRs (got "10.0.0.0/8")'],
])('%s stops the start naming the key', (line, message) => {
  expect(() => parseConfig(`${MINIMAL}[metrics]\n${line}\n`, {})).toThrow(message);
});
