/** `general.workers`: default "auto", counts 1..1024, env overrides, bad values named; resolveWorkerCount. */
import { parseConfig, resolveWorkerCount } from '.';

const base = '[database]\nengine = "sqlite"\nconnection = "x.db"\n[general]\ndomain = "auth.example.org"\n';

test('default is "auto"', () => {
  expect(parseConfig(base, {}).dns.workers).toBe('auto');
});

test.each([
  ['workers = 1', 1],
  ['workers = 2', 2],
  ['workers = 1024', 1024],
  ['workers = "auto"', 'auto'],
  ['workers = "AUTO"', 'auto'],
])('%s', (line, value) => {
  expect(parseConfig(`${base}${line}\n`, {}).dns.workers).toBe(value);
});

test('environment: a number or "auto"', () => {
  expect(parseConfig(base, { ACMEDNS_GENERAL_WORKERS: '3' }).dns.workers).toBe(3);
  expect(parseConfig(`${base}workers = 2\n`, { ACMEDNS_GENERAL_WORKERS: 'auto' }).dns.workers).toBe('auto');
});

const MUST = 'config: general.workers must be "auto" or an integer from 1 to 1024';

test.each([
  ['workers = 0', `${MUST} (got 0)`],
  ['workers = -1', `${MUST} (got -1)`],
  ['workers = 1025', `${MUST} (got 1025)`],
  ['workers = 1.5', `${MUST} (got 1.5)`],
  ['workers = "2"', `${MUST} (got "2")`],
  ['workers = "all"', `${MUST} (got "all")`],
  ['workers = true', `${MUST} (got true)`],
  ['workers = []', `${MUST} (got a list)`],
])('%s is refused: %s', (line, message) => {
  expect(() => parseConfig(`${base}${line}\n`, {})).toThrow(message);
});

test('environment text that is neither is refused the same way', () => {
  expect(() => parseConfig(base, { ACMEDNS_GENERAL_WORKERS: 'many' })).toThrow(
    'config: general.workers (from ACMEDNS_GENERAL_WORKERS) must be "auto" or an integer from 1 to 1024 (got "many")',
  );
});

test('resolveWorkerCount: a count as given; "auto" = the CPUs the runtime may use, at least 1', () => {
  expect(resolveWorkerCount(3)).toBe(3);
  expect(resolveWorkerCount('auto', () => 8)).toBe(8);
  expect(resolveWorkerCount('auto', () => 0)).toBe(1);
  expect(resolveWorkerCount('auto', () => 5000)).toBe(1024);
  expect(resolveWorkerCount('auto')).toBeGreaterThanOrEqual(1);
});
