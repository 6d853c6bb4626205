import { anyContains, cidrContains, parseCidr, parseCidrList, parseClientIp, parseIpStrict } from './cidr';

function contains(range: string, address: string): boolean {
  const c = parseCidr(range);
  const a = parseClientIp(address);
  if (!c || !a) throw new Error(`test input does not parse: ${range} ${address}`);
  return cidrContains(c, a);
}

describe('cidrContains (Go IPNet.Contains semantics)', () => {
  test.each<[string, string, boolean]>([
    ['192.168.1.2/32', '192.168.1.2', true],
    ['192.168.1.2/32', '192.168.1.1', false],
    ['10.0.0.1/24', '10.0.0.200', true],
    ['10.0.0.1/24', '10.0.1.1', false],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['10.1.2.3/32', '10.1.2.3', true],
    // IPv6, acme-dns TestApiManyUpdateWithIpCheckHeaders
    ['2002:c0a8::0/32', '2002:c0a8:b4dc:0d3::0', true],
    ['2002:c0a8::0/32', '2002:c0a7:0ff::0', false],
    ['2002:c0a8::0/32', '2002:c0a8:d3ad:b33f:c0ff:33b4:dc0d:3b4d', true],
    ['::1/128', '::1', true],
    ['::1/128', '::2', false],
    // IPv4-mapped IPv6 peers match IPv4 ranges
    ['10.0.0.0/8', '::ffff:10.0.0.1', true],
    ['10.0.0.0/8', '::ffff:11.0.0.1', false],
    ['127.0.0.1/32', '::ffff:127.0.0.1', true],
    // families never cross otherwise
    ['::/0', '10.0.0.1', false],
    ['::/0', '::ffff:10.0.0.1', false],
    ['0.0.0.0/0', '::1', false],
    // a mapped network with the ::ffff: part inside the mask is an IPv4 network (Go To4)
    ['::ffff:10.0.0.0/104', '10.1.2.3', true],
    ['::ffff:10.0.0.0/104', '11.1.2.3', false],
  ])('%s contains %s -> %s', (range, address, ok) => expect(contains(range, address)).toBe(ok));
});

describe('parseIpStrict (Go netip.ParseAddr)', () => {
  test.each<[string, string | undefined]>([
    ['1.2.3.4', '1.2.3.4'],
    ['255.255.255.255', '255.255.255.255'],
    ['256.1.1.1', undefined],
    ['01.1.1.1', undefined],
    ['1.1.1', undefined],
    ['0x7f.0.0.1', undefined],
    ['::', '::'],
    ['::1', '::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['::ffff:1.2.3.4', '::ffff:102:304'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1::2::3', undefined],
    ['1:2:3:4:5:6:7:8::', undefined],
    ['::1:2:3:4:5:6:7', '0:1:2:3:4:5:6:7'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['12345::', undefined],
    [':1::', undefined],
    ['1:', undefined],
    ['fe80::1%eth0', undefined],
    ['localhost', undefined],
    ['', undefined],
  ])('%j -> %j', (s, out) => expect(parseIpStrict(s)?.toString()).toBe(out));
});

describe('parseClientIp', () => {
  test.each<[string, string | undefined]>([
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::ffff:a00:1', '10.0.0.1'],
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['invalid', undefined],
    ['1.2.3.4:5678', undefined],
  ])('%j -> %j', (s, out) => expect(parseClientIp(s)?.toString()).toBe(out));
});

describe('parseCidrList (Go ValidEntries)', () => {
  test.each<[string[], string[]]>([
    [['10.0.0.1/24'], ['10.0.0.1/24']],
    [['invalid', '127.0.0.1/32'], ['127.0.0.1/32']],
    [['2002:c0a8::0/32', '8.8.8.8/32'], ['2002:c0a8::0/32', '8.8.8.8/32']],
    [[], []],
  ])('%j -> %j', (input, out) => expect(parseCidrList(input).map((c) => c.text)).toEqual(out));

  test('anyContains over a list', () => {
    const list = parseCidrList(['192.168.1.1/32', 'invalid', '10.0.0.0/8']);
    expect(anyContains(list, parseClientIp('10.9.9.9')!)).toBe(true);
    expect(anyContains(list, parseClientIp('192.168.1.2')!)).toBe(false);
    expect(anyContains([], parseClientIp('10.9.9.9')!)).toBe(false);
  });
});
