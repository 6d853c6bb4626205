import * as cidr from './cidr';
import { createAllowListCache } from './allow-list';

describe('allow-list cache', () => {
  afterEach(() => jest.restoreAllMocks());

  it('parses each distinct list once', () => {
    const spy = jest.spyOn(cidr, 'parseCidrList');
    const cache = createAllowListCache();
    const list = ['10.0.0.0/8', '[::1]/128', 'junk'];
    const first = cache.ranges(list);
    expect(first.map((r) => r.text)).toEqual(['10.0.0.0/8', '::1/128']);
    // A new array with the same content (each store read makes one) is the same list.
    expect(cache.ranges([...list])).toBe(first);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('parses a changed list anew', () => {
    const cache = createAllowListCache();
    expect(cache.ranges(['10.0.0.0/8']).map((r) => r.text)).toEqual(['10.0.0.0/8']);
    expect(cache.ranges(['192.0.2.0/24']).map((r) => r.text)).toEqual(['192.0.2.0/24']);
  });

  it('cannot confuse one entry holding a newline with two entries', () => {
    const cache = createAllowListCache();
    expect(cache.ranges(['10.0.0.0/8\n192.0.2.0/24'])).toEqual([]);
    expect(cache.ranges(['10.0.0.0/8', '192.0.2.0/24'])).toHaveLength(2);
  });

  it('stays within its bounds, dropping the least recently used', () => {
    const cache = createAllowListCache({ lists: 2, chars: 1000 });
    const a = ['10.0.0.0/8'];
    const b = ['10.1.0.0/16'];
    const c = ['10.2.0.0/16'];
    cache.ranges(a);
    cache.ranges(b);
    cache.ranges(a);
    cache.ranges(c);
    expect(cache.size).toBe(2);
    const spy = jest.spyOn(cidr, 'parseCidrList');
    cache.ranges(a);
    expect(spy).not.toHaveBeenCalled();
    cache.ranges(b);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('does not keep a list longer than the whole budget', () => {
    const cache = createAllowListCache({ lists: 10, chars: 20 });
    expect(cache.ranges(['10.0.0.0/8', '10.1.0.0/16'])).toHaveLength(2);
    expect(cache.size).toBe(0);
  });

  it('answers an empty list without storing it', () => {
    const cache = createAllowListCache();
    expect(cache.ranges([])).toEqual([]);
    expect(cache.size).toBe(0);
  });
});
