import { limitedLine } from './limited-line';

describe('limitedLine', () => {
  test.each([
    // [times of the calls in ms, lines written as [time, suppressed before it]]
    ['one call: written', [0], [[0, 0]]],
    ['a burst inside one interval: one line', [0, 1, 2, 999], [[0, 0]]],
    ['the next line after the interval says how many were held back', [0, 1, 2, 1000], [[0, 0], [1000, 2]]],
    ['calls an interval apart all pass', [0, 1000, 2000], [[0, 0], [1000, 0], [2000, 0]]],
    ['the interval runs from the last line written, not the last call', [0, 600, 1200, 1900], [[0, 0], [1200, 1]]],
  ])('%s', (_name, calls, lines) => {
    let t = 0;
    const line = limitedLine(1000, () => t);
    const written: [number, number][] = [];
    for (const at of calls) {
      t = at;
      line((suppressed) => written.push([t, suppressed]));
    }
    expect(written).toEqual(lines);
  });

  test('1,000 calls in a second: one line, and the next line counts 999', () => {
    let t = 5_000;
    const line = limitedLine(1000, () => t);
    const written: number[] = [];
    for (let i = 0; i < 1000; i++) line((n) => written.push(n));
    t += 1000;
    line((n) => written.push(n));
    expect(written).toEqual([0, 999]);
  });
});
