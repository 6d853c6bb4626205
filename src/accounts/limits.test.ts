import { parseClientIp } from '../core/cidr';
import { clientKey, createRateLimiters, createTokenBuckets, type TokenBuckets } from './limits';

/** A clock the test moves by hand, in seconds. */
function manualClock(): { now: () => number; advance: (s: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (s) => (t += s) };
}

describe('token buckets', () => {
  test('a burst of `capacity`, then the wait until the next token, then one token per interval', () => {
    const clock = manualClock();
    const b = createTokenBuckets({ capacity: 3, perSecond: 1 / 120 }, { clock: clock.now });
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 0]);
    expect(b.take('a')).toBe(120);
    clock.advance(30);
    expect(b.take('a')).toBe(90); // a refused request takes nothing
    expect(b.wait('a')).toBe(90);
    clock.advance(90);
    expect(b.wait('a')).toBe(0); // wait() only looks
    expect(b.take('a')).toBe(0);
    expect(b.take('a')).toBe(120);
  });

  test('keys are independent, and a long pause refills no further than the capacity', () => {
    const clock = manualClock();
    const b = createTokenBuckets({ capacity: 2, perSecond: 1 }, { clock: clock.now });
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 1]);
    expect(b.take('b')).toBe(0);
    clock.advance(1_000_000);
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 1]);
  });

  test('the wait is whole seconds, at least 1, even for fast rates', () => {
    const clock = manualClock();
    const b = createTokenBuckets({ capacity: 1, perSecond: 100 }, { clock: clock.now });
    expect([b.take('a'), b.take('a')]).toEqual([0, 1]);
  });

  test('memory is bounded: the least recently seen key is forgotten first (which only forgives)', () => {
    const clock = manualClock();
    const b = createTokenBuckets({ capacity: 1, perSecond: 0.001 }, { clock: clock.now, maxKeys: 2 });
    expect([b.take('a'), b.take('b')]).toEqual([0, 0]);
    expect(b.take('a')).toBeGreaterThan(0); // touches a: b is now the oldest
    expect(b.take('c')).toBe(0); // evicts b
    expect(b.size).toBe(2);
    expect(b.take('a')).toBeGreaterThan(0); // a was kept
    expect(b.take('b')).toBe(0); // b starts afresh (evicting c)
  });

  test('give returns a taken token, never above the capacity', () => {
    const clock = manualClock();
    const b = createTokenBuckets({ capacity: 2, perSecond: 1 / 600 }, { clock: clock.now });
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 600]);
    b.give('a');
    expect([b.take('a'), b.take('a')]).toEqual([0, 600]);
    b.give('a');
    b.give('a');
    b.give('a');
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 600]);
    b.give('unknown'); // nothing to give back to, and nothing remembered
    expect(b.size).toBe(1);
  });

  test('a clock that steps back does not add tokens', () => {
    let t = 100;
    const b = createTokenBuckets({ capacity: 1, perSecond: 1 }, { clock: () => t });
    expect(b.take('a')).toBe(0);
    t = 50;
    expect(b.take('a')).toBe(1);
  });
});

describe('client key', () => {
  test.each([
    ['198.51.100.7', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:3::1', '2001:db8:1:3::/64'],
  ])('%s -> %s', (address, key) => {
    expect(clientKey({ text: address, ip: parseClientIp(address) })).toBe(key);
  });

  test('an address that does not parse is limited by its text', () => {
    expect(clientKey({ text: 'unknown', ip: undefined })).toBe('unknown');
  });
});

describe('limiters from the config', () => {
  const base = {
    registerPerHour: 60,
    registerBurst: 100,
    authFailures: 20,
    authFailureWindowSeconds: 600,
    authFailuresPerAddress: 200,
    authMalformed: 1000,
    authInFlight: 4,
    updatePerHour: 600,
    updateBurst: 200,
    checkPerHour: 60,
    checkBurst: 10,
    checkPerAddressPerHour: 120,
    checkPerAddressBurst: 20,
  };
  const on = (config: Parameters<typeof createRateLimiters>[0]): boolean[] => {
    const l = createRateLimiters(config);
    return [l.register, l.authFailures, l.authFailuresPerAddress, l.malformedAuth, l.updates, l.checks, l.checksPerAddress].map((b) => b !== undefined);
  };
  test.each([
    ['no config: nothing limited', undefined, [false, false, false, false, false, false, false]],
    ['defaults: all on', base, [true, true, true, true, true, true, true]],
    ['register_per_hour = 0', { ...base, registerPerHour: 0 }, [false, true, true, true, true, true, true]],
    ['auth_failures = 0', { ...base, authFailures: 0 }, [true, false, true, true, true, true, true]],
    ['auth_failures_per_address = 0', { ...base, authFailuresPerAddress: 0 }, [true, true, false, true, true, true, true]],
    ['auth_malformed = 0', { ...base, authMalformed: 0 }, [true, true, true, false, true, true, true]],
    ['update_per_hour = 0', { ...base, updatePerHour: 0 }, [true, true, true, true, false, true, true]],
    ['check_per_hour = 0', { ...base, checkPerHour: 0 }, [true, true, true, true, true, false, true]],
    ['check_per_address_per_hour = 0', { ...base, checkPerAddressPerHour: 0 }, [true, true, true, true, true, true, false]],
  ])('%s', (_name, config, expected) => {
    expect(on(config)).toEqual(expected);
  });

  test('the rates: bursts at once then the hourly rates; the authentication limits per window', () => {
    const clock = manualClock();
    const config = { ...base, registerPerHour: 6, registerBurst: 2, authFailures: 4, authFailureWindowSeconds: 60, authFailuresPerAddress: 6, authMalformed: 3, updatePerHour: 60, updateBurst: 1 };
    const limits = createRateLimiters(config, clock.now);
    const takes = (b: TokenBuckets | undefined, n: number): Array<number | undefined> => Array.from({ length: n }, () => b?.take('x'));
    expect(takes(limits.register, 3)).toEqual([0, 0, 600]);
    expect(takes(limits.authFailures, 5)).toEqual([0, 0, 0, 0, 15]);
    expect(takes(limits.authFailuresPerAddress, 7)).toEqual([0, 0, 0, 0, 0, 0, 10]);
    expect(takes(limits.malformedAuth, 4)).toEqual([0, 0, 0, 20]);
    expect(takes(limits.updates, 2)).toEqual([0, 60]);
    expect(limits.authInFlight).toBe(4);
  });
});
