import { sourcePrefix } from './prefix';

describe('sourcePrefix', () => {
  test.each<[string, number, number, string | undefined]>([
    ['192.0.2.77', 24, 56, '4/c0000200'],
    ['192.0.2.1', 24, 56, '4/c0000200'],
    ['192.0.3.1', 24, 56, '4/c0000300'],
    ['192.0.2.77', 32, 56, '4/c000024d'],
    ['192.0.2.77', 0, 56, '4/0'],
    ['255.255.255.255', 8, 56, '4/ff000000'],
    // A dual-stack socket reports IPv4 peers mapped; they are accounted as IPv4.
    ['::ffff:192.0.2.77', 24, 56, '4/c0000200'],
    ['2001:db8:1:2ff::1', 24, 56, '6/20010db8000102000000000000000000'],
    ['2001:db8:1:2ff::1', 24, 60, '6/20010db8000102f00000000000000000'],
    ['2001:db8:1:2ff::1', 24, 128, '6/20010db8000102ff0000000000000001'],
    ['2001:db8:1:2ff::1', 24, 0, '6/00000000000000000000000000000000'],
    ['fe80::1%eth0', 24, 56, '6/fe800000000000000000000000000000'],
    ['999.1.1.1', 24, 56, undefined],
    ['not an address', 24, 56, undefined],
    ['', 24, 56, undefined],
  ])('%s /%i /%i', (address, v4, v6, want) => {
    expect(sourcePrefix(address, v4, v6)).toBe(want);
  });
});
