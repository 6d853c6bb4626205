import type { LimiterSettings, RrlDecision } from './limiter';
import { createLimiter } from './limiter';

const BASE: LimiterSettings = { responsesPerSecond: 3, slip: 2, windowSeconds: 15, tableSize: 100 };

/** Runs `[time, count]` steps for one group and spells the actions s(end), T(runcated), d(ropped). */
function run(settings: Partial<LimiterSettings>, steps: ReadonlyArray<readonly [number, number]>): string {
  const limiter = createLimiter({ ...BASE, ...settings });
  const letter: Record<RrlDecision, string> = { send: 's', slip: 'T', drop: 'd' };
  return steps.map(([t, n]) => Array.from({ length: n }, () => letter[limiter.decide('g', t)]).join('')).join(' ');
}

describe('one group', () => {
  test.each<[string, Partial<LimiterSettings>, ReadonlyArray<readonly [number, number]>, string]>([
    ['a burst gets one second of answers, then every 2nd limited one slips (the 1st first)', {}, [[0, 10]], 'sssTdTdTdT'],
    ['slip 0 never slips', { slip: 0 }, [[0, 6]], 'sssddd'],
    ['slip 1 slips every limited answer', { slip: 1 }, [[0, 6]], 'sssTTT'],
    ['slip 3 slips the 1st, 4th, 7th limited answer', { slip: 3 }, [[0, 10]], 'sssTddTddT'],
    ['a steady rate at the limit is never limited', {}, [[0, 3], [1, 3], [2, 3], [3.5, 3]], 'sss sss sss sss'],
    ['credit never exceeds one second', {}, [[0, 1], [100, 5]], 's sssTd'],
    ['credit accrues by fractions of a second', { responsesPerSecond: 2 }, [[0, 2], [0.5, 1], [0.75, 1]], 'ss s T'],
    // Flooded at t=0: the balance sinks to -window*rate = -6 and takes 3 s + one response's worth
    // (0.5 s) to come back; a probe before that is still limited (and its debit counts).
    ['the window: still limited 3.4 s after a flood', { responsesPerSecond: 2, windowSeconds: 3 }, [[0, 50], [3.4, 1]], `ss${'Td'.repeat(24)} T`],
    ['the window: answered 3.5 s after a flood', { responsesPerSecond: 2, windowSeconds: 3 }, [[0, 50], [3.5, 1]], `ss${'Td'.repeat(24)} s`],
    ['a clock stepping back credits nothing', { responsesPerSecond: 1 }, [[10, 1], [5, 1], [10.5, 1]], 's T d'],
  ])('%s', (_name, settings, steps, want) => {
    expect(run(settings, steps)).toBe(want);
  });

  test('a sustained flood gets at most rate x (elapsed + 1) answers', () => {
    const limiter = createLimiter({ ...BASE, responsesPerSecond: 8 });
    let sent = 0;
    // 64 queries a second (t in 1/64 s steps, exact in binary) for 10 seconds.
    for (let i = 0; i <= 640; i++) if (limiter.decide('g', i / 64) === 'send') sent += 1;
    expect(sent).toBeLessThanOrEqual(8 * 11);
    // The first second's worth (8) plus the 1/8 credited per step while the balance lasted (8 steps
    // more: 8 - 7k/8 >= 1 for k <= 8); after that the flood holds the balance at the window's floor.
    expect(sent).toBe(9);
  });
});

describe('groups and the table bound', () => {
  test('groups are accounted apart', () => {
    const limiter = createLimiter(BASE);
    const out = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'].map((k) => limiter.decide(k, 0));
    expect(out).toEqual(['send', 'send', 'send', 'slip', 'send', 'send', 'send', 'slip']);
  });

  test('when full of remembered groups, new groups share one overflow allowance; nothing in debt is evicted', () => {
    const limiter = createLimiter({ ...BASE, responsesPerSecond: 2, tableSize: 2 });
    for (const k of ['a', 'b']) for (let i = 0; i < 5; i++) limiter.decide(k, 0);
    expect(limiter.size()).toBe(2);
    // c and d are new: both draw on the shared overflow account (2 answers between them).
    const newcomers = ['c', 'd', 'c', 'd'].map((k) => limiter.decide(k, 1));
    expect(newcomers).toEqual(['send', 'send', 'slip', 'drop']);
    expect(limiter.overflowed()).toBe(4);
    // a is still in debt (flooded at 0, window 15): not forgotten, still limited.
    expect(limiter.decide('a', 1)).not.toBe('send');
    expect(limiter.size()).toBe(2);
  });

  test('a group idle for window + 1 seconds is forgotten to make room (it is then exactly a fresh one)', () => {
    const limiter = createLimiter({ ...BASE, responsesPerSecond: 1, windowSeconds: 2, tableSize: 2 });
    limiter.decide('a', 0);
    limiter.decide('b', 1);
    expect(limiter.decide('c', 2.5)).toBe('send'); // overflow: a idle 2.5 s < 3
    expect(limiter.decide('c', 2.5)).toBe('slip'); // still the overflow account, now spent
    expect(limiter.decide('c', 3)).toBe('send'); // a idle 3 s: evicted, c gets its own account
    expect(limiter.size()).toBe(2);
    expect(limiter.decide('b', 3)).toBe('send'); // b kept its own account
  });
});
