import { parseClientIp } from '../core/cidr';
import { clientKey, createRateLimiters, createTokenBuckets } from './rate-limit';

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
    expect(clientKey({ text: address, ip: parseClientIp(address), source: 'peer' })).toBe(key);
  });

  test('an address that does not parse is limited by its text', () => {
    expect(clientKey({ text: 'unknown', ip: undefined, source: 'header' })).toBe('unknown');
  });
});

describe('limiters from the config', () => {
  const base = { registerPerHour: 30, registerBurst: 10, authFailures: 20, authFailureWindowSeconds: 600 };
  test.each([
    ['no config: nothing limited', undefined, false, false],
    ['defaults: both on', base, true, true],
    ['register_per_hour = 0', { ...base, registerPerHour: 0 }, false, true],
    ['auth_failures = 0', { ...base, authFailures: 0 }, true, false],
  ])('%s', (_name, config, register, auth) => {
    const limits = createRateLimiters(config);
    expect([limits.register !== undefined, limits.authFailures !== undefined]).toEqual([register, auth]);
  });

  test('the rates: register_burst at once then register_per_hour; auth_failures per window', () => {
    const clock = manualClock();
    const limits = createRateLimiters({ registerPerHour: 6, registerBurst: 2, authFailures: 4, authFailureWindowSeconds: 60 }, clock.now);
    expect([limits.register?.take('x'), limits.register?.take('x'), limits.register?.take('x')]).toEqual([0, 0, 600]);
    const failures = Array.from({ length: 5 }, () => limits.authFailures?.take('x'));
    expect(failures).toEqual([0, 0, 0, 0, 15]);
  });
});
