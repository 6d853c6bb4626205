/** AXFR and IXFR record lists (RFC 5936 §2.2, RFC 1995 §4): pure, from the zone and the store's content. */
import { testConfig } from '../../../test/support/config';
import { createSoaAt, soaRecord } from '../serial';
import type { ResourceRecord } from '../packet';
import { parseZone } from '../zone';
import { axfrRecords } from './axfr';
import { ixfrRecords, serialAtLeast } from './ixfr';

const zone = parseZone(
  testConfig({
    general: {
      records: ['auth.example.org. A 198.51.100.1', 'auth.example.org. NS auth.example.org.', 'www.auth.example.org. CNAME example.net.', 'outside.example.net. A 192.0.2.1'],
    },
  }).dns,
  1,
);
const soaAtRdata = createSoaAt(zone);
const soaAt = (serial: number): ResourceRecord => soaRecord(zone, soaAtRdata(serial));
const brief = (rrs: readonly ResourceRecord[]): string[] =>
  rrs.map((rr) => `${rr.name} ${rr.data.type} ${rr.data.type === 'SOA' ? rr.data.serial : rr.data.type === 'TXT' ? rr.data.strings.map(String).join('') : ''}`.trim());

test('AXFR: SOA, static records in the zone, live values, SOA; nothing outside the zone, at a CNAME, or empty', () => {
  const records = axfrRecords(zone, soaAt(7), {
    serial: 7,
    records: [
      { owner: 'a.auth.example.org', value: 'one' },
      { owner: 'a.auth.example.org', value: '' },
      { owner: 'www.auth.example.org', value: 'hidden by the CNAME' },
      { owner: '_acme-challenge.api.example.net', value: 'outside' },
      { owner: '_acme-challenge.x.auth.example.org', value: 'own' },
    ],
  });
  expect(brief(records)).toEqual([
    'auth.example.org SOA 7',
    'auth.example.org NS',
    'auth.example.org A',
    'www.auth.example.org CNAME',
    'a.auth.example.org TXT one',
    '_acme-challenge.x.auth.example.org TXT own',
    'auth.example.org SOA 7',
  ]);
});

test('IXFR: SOA(new), then per step SOA(from) removed SOA(to) added, SOA(new); no steps: the SOA alone', () => {
  const steps = [
    { from: 3, to: 4, removed: [], added: [{ owner: 'a.auth.example.org', value: 'x' }] },
    { from: 4, to: 5, removed: [{ owner: 'a.auth.example.org', value: 'x' }], added: [{ owner: 'b.auth.example.org', value: 'y' }, { owner: 'b.auth.example.org', value: 'z' }] },
  ];
  expect(brief(ixfrRecords(zone, soaAt, 5, steps))).toEqual([
    'auth.example.org SOA 5',
    'auth.example.org SOA 3',
    'auth.example.org SOA 4',
    'a.auth.example.org TXT x',
    'auth.example.org SOA 4',
    'a.auth.example.org TXT x',
    'auth.example.org SOA 5',
    'b.auth.example.org TXT y',
    'b.auth.example.org TXT z',
    'auth.example.org SOA 5',
  ]);
  expect(brief(ixfrRecords(zone, soaAt, 5, []))).toEqual(['auth.example.org SOA 5']);
});

test.each<[number, number, boolean]>([
  [5, 5, true],
  [6, 5, true],
  [4, 5, false],
  // RFC 1982: 0 follows 0xffffffff; a serial half the space ahead is not "later".
  [0, 0xffffffff, true],
  [0xffffffff, 0, false],
  [0x80000005, 5, false],
  [0x80000004, 5, true],
])('serialAtLeast(%d, %d) is %s', (a, b, expected) => {
  expect(serialAtLeast(a, b)).toBe(expected);
});
