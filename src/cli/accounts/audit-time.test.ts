import { parseDuration, parseTimeArg } from './audit-time';

const NOW = Date.UTC(2024, 4, 10, 12, 0, 0);

describe('parseTimeArg', () => {
  it.each<[string, number]>([
    ['24h', NOW - 24 * 3_600_000],
    ['30m', NOW - 30 * 60_000],
    ['90s', NOW - 90_000],
    ['7d', NOW - 7 * 86_400_000],
    ['2w', NOW - 14 * 86_400_000],
    ['1h30m', NOW - 90 * 60_000],
    ['0s', NOW],
    [' 24h ', NOW - 24 * 3_600_000],
    ['2024-05-01', Date.UTC(2024, 4, 1)],
    ['2024-05-01T12:30', Date.UTC(2024, 4, 1, 12, 30)],
    ['2024-05-01 12:30:15', Date.UTC(2024, 4, 1, 12, 30, 15)],
    ['2024-05-01T12:30:15.250Z', Date.UTC(2024, 4, 1, 12, 30, 15, 250)],
    ['2024-05-01T12:30:15z', Date.UTC(2024, 4, 1, 12, 30, 15)],
    ['2024-05-01T14:30+02:00', Date.UTC(2024, 4, 1, 12, 30)],
    ['2024-05-01T07:30-0500', Date.UTC(2024, 4, 1, 12, 30)],
  ])('%s', (text, expected) => {
    expect(parseTimeArg('--since', text, NOW)).toBe(expected);
  });

  it.each(['', 'yesterday', '24', 'h', '1.5h', '-1h', '24 h', '2024-13-01', '2024-05-01T25:00', '05/01/2024', '1700000000'])(
    'refuses %j with a line naming the option',
    (text) => {
      expect(() => parseTimeArg('--until', text, NOW)).toThrow(/^--until: not an ISO time/);
    },
  );
});

describe('parseDuration', () => {
  it.each<[string, number | undefined]>([
    ['1s', 1000],
    ['1w1d1h1m1s', 694_861_000],
    ['1x', undefined],
    ['h1', undefined],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
