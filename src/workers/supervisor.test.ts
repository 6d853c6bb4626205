/** The replacement delay: quick at first, doubling while workers keep dying at start, capped. */
import { restartDelay } from './supervisor';

test.each([
  [0, 250],
  [1, 250],
  [2, 500],
  [3, 1000],
  [7, 16000],
  [8, 30000],
  [50, 30000],
])('after %i quick deaths: %i ms', (deaths, ms) => {
  expect(restartDelay(deaths)).toBe(ms);
});
