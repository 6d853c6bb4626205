import { ConfigError } from '../core/errors';
import { RRType } from './packet';
import { parseRecordLine, RecordSyntaxError } from './records';
import { parseZone, serialFromTime, type ZoneConfig } from './zone';
import { rdataText } from './rdata-text';

const show = rdataText;

describe('parseRecordLine: good lines', () => {
  const cases: Array<[string, string]> = [
    ['auth.example.org. A 198.51.100.1', 'auth.example.org 3600 A 198.51.100.1'],
    ['auth.example.org A 198.51.100.1', 'auth.example.org 3600 A 198.51.100.1'],
    ['Auth.Example.ORG. 300 IN A 192.0.2.1', 'auth.example.org 300 A 192.0.2.1'],
    ['x.example.org. IN 300 AAAA 2001:db8::1', 'x.example.org 300 AAAA 2001:db8::1'],
    ['x.example.org. in a 192.0.2.1', 'x.example.org 3600 A 192.0.2.1'],
    ['x.example.org. 1h30m A 192.0.2.1', 'x.example.org 5400 A 192.0.2.1'],
    ['x.example.org. 2W IN A 192.0.2.1', 'x.example.org 1209600 A 192.0.2.1'],
    ['auth.example.org. NS NS1.Example.org.', 'auth.example.org 3600 NS ns1.example.org'],
    ['auth.example.org. NS ns1.example.org', 'auth.example.org 3600 NS ns1.example.org'],
    ['cn.example.org. CNAME Something.example.org.', 'cn.example.org 3600 CNAME something.example.org'],
    ['example.org. MX 10 Mail.example.org.', 'example.org 3600 MX 10 mail.example.org'],
    ['_sip._tcp.example.org. SRV 10 20 5060 sip.example.org.', '_sip._tcp.example.org 3600 SRV 10 20 5060 sip.example.org'],
    ['t.example.org. TXT "Hello World"', 't.example.org 3600 TXT "Hello World"'],
    ['t.example.org. TXT "a" "B"', 't.example.org 3600 TXT "a" "B"'],
    ['t.example.org. TXT MixedCase', 't.example.org 3600 TXT "MixedCase"'],
    ['t.example.org. TXT "say \\"hi\\""', 't.example.org 3600 TXT "say \\"hi\\""'],
    ['t.example.org. TXT "\\065BC\\\\"', 't.example.org 3600 TXT "ABC\\\\"'],
    ['t.example.org. TXT "semi;colon" ; a comment', 't.example.org 3600 TXT "semi;colon"'],
    ['t.example.org. TXT ""', 't.example.org 3600 TXT ""'],
    ['t.example.org. TXT ( "in" "parens" )', 't.example.org 3600 TXT "in" "parens"'],
    ['t.example.org. TXT "v=spf1 -all"', 't.example.org 3600 TXT "v=spf1 -all"'],
    ['example.org. CAA 0 issue "letsencrypt.org"', 'example.org 3600 CAA 0 issue "letsencrypt.org"'],
    ['example.org. CAA 128 contactemail "Admin@Example.org"', 'example.org 3600 CAA 128 contactemail "Admin@Example.org"'],
    ['_acme-challenge.auth.example.org. 60 TXT token', '_acme-challenge.auth.example.org 60 TXT "token"'],
    ['*.example.org. A 192.0.2.9', '*.example.org 3600 A 192.0.2.9'],
  ];
  test.each(cases)('%s', (line, expected) => {
    const r = parseRecordLine(line, 3600);
    expect(`${r.owner} ${r.ttl} ${r.data.type} ${show(r.data)}`).toBe(expected);
  });
});

describe('parseRecordLine: bad lines', () => {
  const long = 'x'.repeat(256);
  const cases: Array<[string, RegExp]> = [
    ['', /empty line/],
    ['   ; only a comment', /empty line/],
    ['auth.example.org.', /missing type/],
    ['auth.example.org. 300', /missing type/],
    ['x.example.org. A', /A takes 1 field/],
    ['x.example.org. A 1.2.3', /not an IPv4 address/],
    ['x.example.org. A 1.2.3.4 5.6.7.8', /A takes 1 field/],
    ['x.example.org. A "1.2.3.4"', /must not be quoted/],
    ['x.example.org. AAAA 1.2.3.4', /not an IPv6 address/],
    ['x.example.org. AAAA fe80::1%eth0', /not an IPv6 address/],
    ['x.example.org. CH A 1.2.3.4', /only IN is served/],
    ['x.example.org. SOA a. b. 1 2 3 4 5', /SOA is built from/],
    ['x.example.org. HINFO a b', /type HINFO is not supported/],
    ['x.example.org. TXT "unterminated', /unterminated quoted string/],
    [`x.example.org. TXT "${long}"`, /longer than 255 octets/],
    ['x.example.org. TXT', /at least one string/],
    ['x.example.org. TXT "\\300"', /above 255/],
    ['x.example.org. TXT abc\\', /ends in a backslash/],
    ['x.example.org. MX 70000 mail.example.org.', /MX preference "70000"/],
    ['x.example.org. MX ten mail.example.org.', /MX preference "ten"/],
    ['x.example.org. SRV 1 2 mail.example.org.', /SRV takes 4 field/],
    ['x.example.org. CNAME a..b.', /empty label/],
    ['@ A 1.2.3.4', /"@" would be the root/],
    ['. A 1.2.3.4', /is the root/],
    ['a..example.org. A 1.2.3.4', /empty label/],
    [`${'a'.repeat(64)}.example.org. A 1.2.3.4`, /must be 1-63/],
    ['bad!name.example.org. A 1.2.3.4', /must be 1-63/],
    ['x.example.org. 99999999999 A 1.2.3.4', /above 2147483647/],
    ['x.example.org. CAA 0 is-sue "x"', /CAA tag/],
    ['x.example.org. CAA 256 issue "x"', /CAA flags/],
    [`${'abcdefghi.'.repeat(26)}org. A 1.2.3.4`, /longer than 255 octets/],
  ];
  test.each(cases)('%s', (line, message) => {
    expect(() => parseRecordLine(line, 3600)).toThrow(RecordSyntaxError);
    expect(() => parseRecordLine(line, 3600)).toThrow(message);
  });
});

const base: ZoneConfig = {
  domain: 'auth.example.org',
  nsname: 'ns1.auth.example.org',
  nsadmin: 'admin.example.org',
  records: [],
  negativeTtl: 60,
  txtTtl: 1,
  staticTtl: 3600,
};

describe('parseZone', () => {
  test('SOA as acme-dns builds it, with our negative TTL as MINIMUM', () => {
    const zone = parseZone(base, 2026112311);
    const soa = zone.nodes.get('auth.example.org')?.rrsets.get(RRType.SOA);
    expect(soa?.ttl).toBe(3600);
    expect(soa?.data.map(show)).toEqual(['ns1.auth.example.org admin.example.org 2026112311 28800 7200 604800 60']);
    // RFC 2308 §3: negative answers carry the SOA with TTL min(SOA TTL, MINIMUM).
    expect(zone.negativeSoa.ttl).toBe(60);
    expect(parseZone({ ...base, negativeTtl: 7200 }, 1).negativeSoa.ttl).toBe(3600);
  });

  test('an NS for nsname at the apex unless the records give one', () => {
    const ns = (records: string[]): string[] | undefined =>
      parseZone({ ...base, records }, 1).nodes.get('auth.example.org')?.rrsets.get(RRType.NS)?.data.map(show);
    expect(ns([])).toEqual(['ns1.auth.example.org']);
    expect(ns(['auth.example.org. NS a.example.net.', 'auth.example.org NS b.example.net'])).toEqual([
      'a.example.net',
      'b.example.net',
    ]);
  });

  test('apex RRsets start with SOA and NS, then the configured types in order', () => {
    const zone = parseZone({ ...base, records: ['auth.example.org. CAA 0 issue "x"', 'auth.example.org. A 192.0.2.1'] }, 1);
    expect([...(zone.nodes.get('auth.example.org')?.rrsets.keys() ?? [])]).toEqual([
      RRType.SOA,
      RRType.NS,
      RRType.CAA,
      RRType.A,
    ]);
  });

  test('duplicates are dropped and an RRset gets the lowest TTL (RFC 2181 §5)', () => {
    const zone = parseZone(
      { ...base, records: ['a.auth.example.org. 300 A 192.0.2.1', 'A.auth.example.org. 60 A 192.0.2.1', 'a.auth.example.org. A 192.0.2.2'] },
      1,
    );
    const set = zone.nodes.get('a.auth.example.org')?.rrsets.get(RRType.A);
    expect(set?.ttl).toBe(60);
    expect(set?.data.map(show)).toEqual(['192.0.2.1', '192.0.2.2']);
  });

  test('empty non-terminals between static names and the apex', () => {
    const zone = parseZone({ ...base, records: ['a.b.c.auth.example.org. A 192.0.2.1', 'c.auth.example.org. A 192.0.2.2', 'x.y.example.net. A 192.0.2.3'] }, 1);
    expect([...zone.emptyNonTerminals]).toEqual(['b.c.auth.example.org']);
    const deeper = parseZone({ ...base, records: ['a.b.c.d.auth.example.org. A 192.0.2.1'] }, 1);
    expect([...deeper.emptyNonTerminals].sort()).toEqual(['b.c.d.auth.example.org', 'c.d.auth.example.org', 'd.auth.example.org']);
    expect(zone.nodes.get('x.y.example.net')?.inZone).toBe(false);
    expect(zone.nodes.get('c.auth.example.org')?.inZone).toBe(true);
  });

  test.each<[string, readonly string[], Array<[string, string[]]>]>([
    ['none without an own certificate', [], []],
    ['each name between the apex and an own name, with the own names below it', ['_acme-challenge.api.example.test.auth.example.org', '_ACME-challenge.www.example.test.auth.example.org.'], [
      ['api.example.test.auth.example.org', ['_acme-challenge.api.example.test.auth.example.org']],
      ['example.test.auth.example.org', ['_acme-challenge.api.example.test.auth.example.org', '_acme-challenge.www.example.test.auth.example.org']],
      ['test.auth.example.org', ['_acme-challenge.api.example.test.auth.example.org', '_acme-challenge.www.example.test.auth.example.org']],
      ['www.example.test.auth.example.org', ['_acme-challenge.www.example.test.auth.example.org']],
    ]],
    ['the apex certificate\'s own name has none between', ['_acme-challenge.auth.example.org'], []],
    ['names outside the zone are ignored', ['_acme-challenge.api.example.net'], []],
    ['a name given twice counts once', ['_acme-challenge.x.auth.example.org', '_acme-challenge.x.auth.example.org'], [['x.auth.example.org', ['_acme-challenge.x.auth.example.org']]]],
  ])('own-challenge ancestors: %s', (_what, own, expected) => {
    const zone = parseZone(base, 1, own);
    expect([...zone.ownChallengeAncestors].sort()).toEqual(expected.sort());
  });

  const bad: Array<[string, Partial<ZoneConfig>, RegExp]> = [
    ['a bad line is named with its index', { records: ['ok.auth.example.org. A 192.0.2.1', 'x.auth.example.org. A nope'] }, /general\.records\[1\] "x\.auth\.example\.org\. A nope": "nope" is not an IPv4/],
    ['CNAME beside other data', { records: ['w.auth.example.org. CNAME t.example.net.', 'w.auth.example.org. A 192.0.2.1'] }, /CNAME and other records/],
    ['two CNAMEs at one name', { records: ['w.auth.example.org. CNAME t.example.net.', 'w.auth.example.org. CNAME u.example.net.'] }, /more than one CNAME/],
    ['CNAME at the apex', { records: ['auth.example.org. CNAME t.example.net.'] }, /CNAME at the zone apex/],
    ['bad domain', { domain: 'auth..example.org' }, /general\.domain: .*empty label/],
    ['bad nsname', { nsname: 'ns1_!.example.org' }, /general\.nsname/],
  ];
  test.each(bad)('ConfigError: %s', (_what, change, message) => {
    expect(() => parseZone({ ...base, ...change }, 1)).toThrow(ConfigError);
    expect(() => parseZone({ ...base, ...change }, 1)).toThrow(message);
  });

  test('nsadmin may be written as an e-mail address', () => {
    const soa = parseZone({ ...base, nsadmin: 'admin@example.org' }, 1).negativeSoa.data;
    expect(soa.type === 'SOA' && soa.rname).toBe('admin.example.org');
  });
});

describe('serialFromTime', () => {
  test.each([
    [Date.UTC(2026, 10, 23, 11, 59, 59) / 1000, 2026112311],
    [Date.UTC(2027, 0, 1, 0, 0, 0) / 1000, 2027010100],
  ])('%d -> %d', (seconds, serial) => {
    expect(serialFromTime(seconds)).toBe(serial);
  });
});
