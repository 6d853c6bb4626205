/** `[audit] retention`: its default, the forms it takes, 0 for forever, and bad values named with the key. */
import { parseConfig } from '.';
import { ConfigError } from '../core/errors';

const NO_ENV = {};

const MINIMAL = `
[general]
domain = "auth.example.org"
[database]
engine = "sqlite"
connection = "acme.db"
`;

const withAudit = (line: string): string => `${MINIMAL}[audit]\n${line}\n`;

test('a file without [audit] keeps entries 90 days', () => {
  expect(parseConfig(MINIMAL, NO_ENV).audit).toEqual({ retentionSeconds: 90 * 86400 });
  expect(parseConfig(`${MINIMAL}[audit]\n`, NO_ENV).audit).toEqual({ retentionSeconds: 90 * 86400 });
});

test.each<[string, number]>([
  ['retention = 0', 0], // keep forever
  ['retention = "0"', 0],
  ['retention = 3600', 3600],
  ['retention = "30d"', 30 * 86400],
  ['retention = "2160h"', 90 * 86400],
  ['retention = "36500d"', 36_500 * 86400],
])('%s', (line, seconds) => {
  expect(parseConfig(withAudit(line), NO_ENV).audit.retentionSeconds).toBe(seconds);
});

test('ACMEDNS_AUDIT_RETENTION overrides the file', () => {
  expect(parseConfig(withAudit('retention = "30d"'), { ACMEDNS_AUDIT_RETENTION: '7d' }).audit.retentionSeconds).toBe(7 * 86400);
  expect(parseConfig(MINIMAL, { ACMEDNS_AUDIT_RETENTION: '0' }).audit.retentionSeconds).toBe(0);
});

const DURATION = 'a duration: seconds as an integer, or a string like "90s", "10m", "168h", "7d"';

test.each<[string, string]>([
  ['retention = "forever"', `config: audit.retention must be ${DURATION} (got "forever")`],
  ['retention = -1', `config: audit.retention must be ${DURATION} (got -1)`],
  ['retention = "90 days"', `config: audit.retention must be ${DURATION} (got "90 days")`],
  ['retention = true', `config: audit.retention must be ${DURATION} (got true)`],
  ['retention = "36501d"', 'config: audit.retention must be from 0 to 3153600000 seconds (got "36501d")'],
])('%s is refused, naming the key', (line, message) => {
  expect(() => parseConfig(withAudit(line), NO_ENV)).toThrow(ConfigError);
  expect(() => parseConfig(withAudit(line), NO_ENV)).toThrow(message);
});

test('audit must be a table', () => {
  expect(() => parseConfig(`audit = 1\n${MINIMAL}`, NO_ENV)).toThrow('config: audit must be a table ([audit]) (got 1)');
});
