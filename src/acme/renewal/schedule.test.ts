import { backoffDelay, MAX_SLEEP_MS, planRenewal, twoThirdsPoint, type BackoffPolicy } from './schedule';

const DAY = 24 * 3600 * 1000;
/** A 90-day certificate, as Let's Encrypt issues them. */
const LE = { notBefore: 0, notAfter: 90 * DAY };

describe('twoThirdsPoint', () => {
  it.each([
    [{ notBefore: 0, notAfter: 90 * DAY }, 60 * DAY],
    [{ notBefore: 1000, notAfter: 4000 }, 3000],
    [{ notBefore: 0, notAfter: 10 }, 6],
  ])('%j -> %d', (validity, expected) => {
    expect(twoThirdsPoint(validity)).toBe(expected);
  });
});

describe('planRenewal', () => {
  it.each<[string, number, number, Parameters<typeof planRenewal>[3], { renewAt: number; wakeAt: number; reason: string }]>([
    ['fresh certificate: renew at 2/3, wake within the longest sleep', 1 * DAY, 0.5, undefined, { renewAt: 60 * DAY, wakeAt: 1 * DAY + MAX_SLEEP_MS, reason: 'two-thirds' }],
    ['close to 2/3: wake exactly then', 59.5 * DAY, 0.5, undefined, { renewAt: 60 * DAY, wakeAt: 60 * DAY, reason: 'two-thirds' }],
    ['past 2/3: renew now', 70 * DAY, 0.5, undefined, { renewAt: 70 * DAY, wakeAt: 70 * DAY, reason: 'two-thirds' }],
    ['expired: renew now', 91 * DAY, 0.5, undefined, { renewAt: 91 * DAY, wakeAt: 91 * DAY, reason: 'expired' }],
    [
      'ARI window earlier than 2/3: a random point inside it',
      1 * DAY,
      0.25,
      { window: { start: 10 * DAY, end: 14 * DAY }, recheckAt: 1 * DAY + 6 * 3600_000 },
      { renewAt: 11 * DAY, wakeAt: 1 * DAY + 6 * 3600_000, reason: 'ari' },
    ],
    [
      'ARI window later than 2/3: 2/3 wins',
      1 * DAY,
      0.5,
      { window: { start: 70 * DAY, end: 80 * DAY }, recheckAt: 2 * DAY },
      { renewAt: 60 * DAY, wakeAt: 2 * DAY, reason: 'two-thirds' },
    ],
    [
      'ARI window already past (revocation coming): renew now',
      5 * DAY,
      0.9,
      { window: { start: 1 * DAY, end: 2 * DAY }, recheckAt: 6 * DAY },
      { renewAt: 5 * DAY, wakeAt: 5 * DAY, reason: 'ari' },
    ],
    [
      'empty ARI window is ignored',
      1 * DAY,
      0.5,
      { window: { start: 3 * DAY, end: 3 * DAY }, recheckAt: 2 * DAY },
      { renewAt: 60 * DAY, wakeAt: 2 * DAY, reason: 'two-thirds' },
    ],
    [
      'a recheck time in the past means look again now',
      1 * DAY,
      0.5,
      { window: { start: 70 * DAY, end: 80 * DAY }, recheckAt: 0 },
      { renewAt: 60 * DAY, wakeAt: 1 * DAY, reason: 'two-thirds' },
    ],
  ])('%s', (_label, now, random, ari, expected) => {
    expect(planRenewal(LE, now, random, ari)).toEqual(expected);
  });

  it('never sleeps longer than a Node timer can (2^31-1 ms)', () => {
    expect(MAX_SLEEP_MS).toBeLessThan(2 ** 31 - 1);
    const plan = planRenewal({ notBefore: 0, notAfter: 365 * DAY }, 0, 0.5);
    expect(plan.wakeAt - 0).toBeLessThanOrEqual(MAX_SLEEP_MS);
  });
});

describe('backoffDelay', () => {
  const policy: BackoffPolicy = { baseMs: 1000, maxMs: 60_000 };
  it.each([
    // failures, random, retryAfter, expected
    [1, 0, 0, 500],
    [1, 0.999999, 0, 999],
    [2, 0, 0, 1000],
    [3, 0.5, 0, 3000],
    [7, 0, 0, 30_000],
    [8, 0, 0, 30_000],
    [50, 1, 0, 60_000],
    [1, 0, 120_000, 120_000],
    [0, 0, 0, 500],
  ])('failure %d, random %d, Retry-After %d -> %d ms', (failures, random, retryAfter, expected) => {
    expect(backoffDelay(failures, policy, random, retryAfter)).toBe(expected);
  });
});
