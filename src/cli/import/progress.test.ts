import { createProgress, formatProgress } from './progress';

describe('formatProgress', () => {
  it.each<[string, [number, number, number, number], string]>([
    ['a bar, counts, time and estimate', [250, 1000, 5000, 80], '[########----------------------]  25%  250/1,000 accounts  5.0 s  ETA 15 s'],
    ['done: no estimate', [1000, 1000, 12_400, 80], '[##############################] 100%  1,000/1,000 accounts  12 s'],
    ['nothing done yet', [0, 1000, 0, 80], '[------------------------------]   0%  0/1,000 accounts  0.0 s'],
    ['a narrow terminal drops the bar', [1, 2, 1000, 40], ' 50%  1/2 accounts  1.0 s  ETA 1.0 s'],
    ['nothing to do', [0, 0, 0, 80], '[##############################] 100%  0/0 accounts  0.0 s'],
  ])('%s', (_name, [done, total, elapsed, columns], expected) => {
    const line = formatProgress(done, total, elapsed, columns, 'accounts');
    expect(line).toBe(expected);
    expect(line.length).toBeLessThan(columns);
  });
});

function sink(isTTY: boolean): { isTTY: boolean; columns: number; text: string; write(s: string): boolean } {
  return {
    isTTY,
    columns: 80,
    text: '',
    write(s) {
      this.text += s;
      return true;
    },
  };
}

describe('createProgress', () => {
  it('redraws one line in place on a terminal and ends it', () => {
    let t = 0;
    const s = sink(true);
    const p = createProgress(s, 'accounts', () => t);
    p.update(0, 10);
    t = 50;
    p.update(5, 10); // within 100 ms of the last draw: skipped
    t = 200;
    p.update(10, 10);
    p.finish();
    expect(s.text.split('\r').filter(Boolean).map((l) => l.replace(/\x1b\[K\n?$/, '').slice(0, 36))).toEqual([
      '[------------------------------]   0',
      '[##############################] 100',
    ]);
    expect(s.text.endsWith('\x1b[K\n')).toBe(true);
  });

  it('writes plain lines at every tenth of a big job elsewhere, and nothing for small ones', () => {
    const big = sink(false);
    const p = createProgress(big, 'accounts', () => 0);
    for (let done = 0; done <= 100_000; done += 5000) p.update(done, 100_000);
    p.finish();
    expect(big.text.split('\n').filter(Boolean)).toHaveLength(10);
    expect(big.text).not.toContain('\r');
    const small = sink(false);
    const q = createProgress(small, 'accounts', () => 0);
    q.update(50, 100);
    q.finish();
    expect(small.text).toBe('');
  });
});
