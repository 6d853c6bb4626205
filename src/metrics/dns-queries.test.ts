import { createDnsQueryCounts, NO_QUESTION, updateResult, type DnsQueryCount } from './dns-queries';
import type { DnsTransport } from './types';

type Add = [qtype: number | undefined, rcode: number, transport: DnsTransport];

describe('DNS query counts', () => {
  test.each<[string, Add[], DnsQueryCount[]]>([
    ['nothing answered: no series', [], []],
    ['one TXT over UDP', [[16, 0, 'udp']], [{ qtype: 'TXT', rcode: 'NOERROR', transport: 'udp', count: 1 }]],
    [
      'the same cell adds up; transports are apart',
      [[16, 0, 'udp'], [16, 0, 'udp'], [16, 0, 'tcp']],
      [
        { qtype: 'TXT', rcode: 'NOERROR', transport: 'udp', count: 2 },
        { qtype: 'TXT', rcode: 'NOERROR', transport: 'tcp', count: 1 },
      ],
    ],
    ['no question (FORMERR)', [[undefined, 1, 'tcp']], [{ qtype: NO_QUESTION, rcode: 'FORMERR', transport: 'tcp', count: 1 }]],
    ['BADVERS is an extended rcode (RFC 6891)', [[6, 16, 'udp']], [{ qtype: 'SOA', rcode: 'BADVERS', transport: 'udp', count: 1 }]],
    [
      'unnamed types and rcodes share `other`',
      [[65000, 0, 'udp'], [4242, 0, 'udp'], [1, 9, 'udp']],
      [
        { qtype: 'other', rcode: 'NOERROR', transport: 'udp', count: 2 },
        { qtype: 'A', rcode: 'other', transport: 'udp', count: 1 },
      ],
    ],
    ['out-of-range codes do not escape the table', [[70000, 5000, 'udp']], [{ qtype: 'other', rcode: 'other', transport: 'udp', count: 1 }]],
  ])('%s', (_name, adds, expected) => {
    const counts = createDnsQueryCounts();
    for (const [qtype, rcode, transport] of adds) counts.add(qtype, rcode, transport);
    expect(counts.counts()).toEqual(expect.arrayContaining(expected));
    expect(counts.counts()).toHaveLength(expected.length);
  });

  test('every named type and rcode maps to its own cell', () => {
    const counts = createDnsQueryCounts();
    const types = [1, 2, 5, 6, 12, 13, 15, 16, 28, 33, 35, 43, 46, 47, 48, 50, 52, 64, 65, 99, 251, 252, 255, 257];
    const rcodes = [0, 1, 2, 3, 4, 5, 16];
    for (const t of types) for (const r of rcodes) counts.add(t, r, 'udp');
    const cells = counts.counts();
    expect(cells).toHaveLength(types.length * rcodes.length);
    expect(cells.every((c) => c.count === 1 && c.qtype !== 'other' && c.rcode !== 'other')).toBe(true);
  });
});

describe('UPDATE result labels', () => {
  test.each<[number | 'dropped', string]>([
    [0, 'NOERROR'],
    [5, 'REFUSED'],
    [8, 'NXRRSET'],
    [9, 'NOTAUTH'],
    [10, 'NOTZONE'],
    [15, 'other'],
    ['dropped', 'dropped'],
  ])('%j -> %s', (result, label) => expect(updateResult(result)).toBe(label));
});
