import { parseZone } from '../../dns';
import { testConfig } from '../../../test/support/config';
import type { DnssecKeyPort } from '../../store/types';
import { maxZoneTtl, rolloverTiming } from './keyset-store';

describe('maxZoneTtl: the largest TTL the zone serves', () => {
  test.each<[string, Record<string, unknown>, number, number]>([
    ['a static record with its own TTL', { static_ttl: 60, negative_ttl: 30, txt_ttl: 1, records: ['auth.example.org. 7200 A 127.0.0.1'] }, 300, 7200],
    ['the static TTL (SOA, NS)', { static_ttl: 900, negative_ttl: 30, txt_ttl: 1, records: [] }, 300, 900],
    ['the TXT TTL', { static_ttl: 60, negative_ttl: 30, txt_ttl: 1800, records: [] }, 300, 1800],
    ['the negative TTL is capped by the SOA TTL (RFC 2308 §3)', { static_ttl: 60, negative_ttl: 5000, txt_ttl: 1, records: [] }, 30, 60],
    ['the DNSKEY TTL', { static_ttl: 60, negative_ttl: 30, txt_ttl: 1, records: [] }, 4000, 4000],
  ])('%s', (_name, general, dnskeyTtl, expected) => {
    const config = testConfig({ general });
    expect(maxZoneTtl(parseZone(config.dns), dnskeyTtl)).toBe(expected);
  });
});

test('rolloverTiming: a step reaches the running instances only at their next key_poll, so it is part of the delay', () => {
  const config = testConfig({ general: { static_ttl: 60, negative_ttl: 30, txt_ttl: 1, records: [] }, dnssec: { enabled: true, dnskey_ttl: 300, propagation_delay: '1m', key_poll: '5s' } });
  const store: DnssecKeyPort = { getDnssecKeyset: () => Promise.resolve(undefined), claimDnssecKeyset: () => Promise.reject(new Error('unused')), replaceDnssecKeyset: () => Promise.resolve(false) };
  expect(rolloverTiming({ config, zone: parseZone(config.dns), store })).toEqual({ dnskeyTtl: 300, maxZoneTtl: 300, propagationDelay: 65 });
});
