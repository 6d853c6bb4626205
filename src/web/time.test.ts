import { ageInWords, durationInWords, timeInWords, waitInWords } from './time';

describe('durations in words', () => {
  test.each([
    [0, '0 seconds'],
    [1, '1 second'],
    [59.9, '59 seconds'],
    [61, '1 minute'],
    [7200, '2 hours'],
    [86400 * 3 + 5, '3 days'],
    [-5, '0 seconds'],
  ])('%p s -> %p', (s, words) => expect(durationInWords(s)).toBe(words));

  test.each([
    [1, '1 second'],
    [0.2, '1 second'],
    [119, '119 seconds'],
    [121, '3 minutes'],
    [3600, '60 minutes'],
    [7201, '3 hours'],
  ])('a wait of %p s is never said shorter: %p', (s, words) => expect(waitInWords(s)).toBe(words));

  const now = Date.parse('2026-12-05T01:00:00Z');
  test.each([
    ['2026-12-05T00:59:48Z', '12 seconds ago'],
    ['2026-12-05T00:58:00Z', '2 minutes ago'],
    ['2026-12-05T01:00:05Z', 'just now'],
    ['yesterday', 'at an unknown time'],
  ])('age of %p: %p', (iso, words) => expect(ageInWords(iso, now)).toBe(words));

  test('times are shown in UTC to the minute; text that is no time is shown as it is', () => {
    expect(timeInWords('2026-12-05T00:49:31.123Z')).toBe('2026-12-05 00:49 UTC');
    expect(timeInWords('soon')).toBe('soon');
  });
});
