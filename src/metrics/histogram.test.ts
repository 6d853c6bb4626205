import { createLabelledHistogram, escapeLabelValue } from './histogram';

describe('labelled histogram', () => {
  test('renders cumulative buckets, +Inf, sum and count per label value, sorted', () => {
    const h = createLabelledHistogram('x_seconds', 'Help.', 'op', [0.1, 1]);
    h.observe('write', 5);
    h.observe('read', 0.05);
    h.observe('read', 0.1); // on the bound: le is "less than or equal"
    h.observe('read', 0.5);
    expect(h.render().split('\n')).toEqual([
      '# HELP x_seconds Help.',
      '# TYPE x_seconds histogram',
      'x_seconds_bucket{op="read",le="0.1"} 2',
      'x_seconds_bucket{op="read",le="1"} 3',
      'x_seconds_bucket{op="read",le="+Inf"} 3',
      'x_seconds_sum{op="read"} 0.65',
      'x_seconds_count{op="read"} 3',
      'x_seconds_bucket{op="write",le="0.1"} 0',
      'x_seconds_bucket{op="write",le="1"} 0',
      'x_seconds_bucket{op="write",le="+Inf"} 1',
      'x_seconds_sum{op="write"} 5',
      'x_seconds_count{op="write"} 1',
    ]);
  });

  test('no observations: only HELP and TYPE; NaN is ignored', () => {
    const h = createLabelledHistogram('y', 'Y.', 'op', [1]);
    h.observe('a', Number.NaN);
    expect(h.render()).toBe('# HELP y Y.\n# TYPE y histogram');
  });

  test('bounds must ascend', () => {
    expect(() => createLabelledHistogram('z', 'Z.', 'op', [1, 1])).toThrow('must ascend');
  });

  test.each([
    ['plain', 'plain'],
    ['a"b', 'a\\"b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a\\nb'],
  ])('escapes label value %j', (input, output) => {
    expect(escapeLabelValue(input)).toBe(output);
  });
});
