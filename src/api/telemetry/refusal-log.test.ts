import { createRefusalLog } from './refusal-log';

describe('refusal log', () => {
  test('the first refusal per interval and client is logged, with the count of those that were not', () => {
    let t = 100;
    const log = createRefusalLog(1, () => t);
    expect([log.admit('a'), log.admit('a'), log.admit('a'), log.admit('b')]).toEqual([0, undefined, undefined, 0]);
    t += 0.5;
    expect(log.admit('a')).toBeUndefined();
    t += 0.5;
    expect([log.admit('a'), log.admit('a')]).toEqual([3, undefined]);
    t += 10;
    expect(log.admit('a')).toBe(1);
  });

  test('bounded: the least recently refused client is forgotten (and logged again next time)', () => {
    const log = createRefusalLog(60, () => 0, 2);
    expect([log.admit('a'), log.admit('b'), log.admit('c')]).toEqual([0, 0, 0]);
    expect(log.size).toBe(2);
    expect([log.admit('b'), log.admit('a')]).toEqual([undefined, 0]);
  });

  test('a clock that steps back logs rather than staying silent', () => {
    let t = 100;
    const log = createRefusalLog(1, () => t);
    expect(log.admit('a')).toBe(0);
    t = 50;
    expect(log.admit('a')).toBe(0);
  });
});
