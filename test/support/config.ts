/**
 * The one test config. It is a config document as an operator writes it, read by the real
 * `parseConfig`, so every default comes from the schema and a test names only what it needs.
 * A part under test takes its slice: `testConfig().dns`, `testConfig({ api: { ... } }).api`.
 */
import { stringify } from 'smol-toml';
import { parseConfig, type Config } from '../../src/config';

/** A config document: section -> key -> value, with the keys as written in a TOML file. */
export type ConfigDocument = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** What every test serves and where it listens unless it says otherwise. */
const TEST_DOCUMENT: ConfigDocument = {
  general: {
    listen: '127.0.0.1:0',
    domain: 'auth.example.org',
    nsname: 'auth.example.org',
    nsadmin: 'admin.example.org',
    records: ['auth.example.org. A 198.51.100.1', 'auth.example.org. NS auth.example.org.'],
    // Loose TCP limits (seconds, counts): the tests of a limit set it low themselves.
    tcp_idle_timeout: 30,
    tcp_max_connections: 100,
    tcp_max_connections_per_address: 100,
    tcp_message_timeout: 30,
    // One process: in-process tests (ts-jest) cannot fork the compiled DNS worker.
    workers: 1,
  },
  // Never opened by the slices' users; the tests that run a store open their own.
  database: { engine: 'sqlite', connection: 'test.db' },
  // Loopback, a free port, plain HTTP; no proxy is believed unless a test names one.
  api: { ip: '127.0.0.1', port: 0, tls: 'none', trusted_proxies: [] },
};

/** The test config with `overrides` merged in per section, validated and frozen as a real one. */
export function testConfig(overrides: ConfigDocument = {}): Config {
  const doc: Record<string, Record<string, unknown>> = {};
  for (const section of new Set([...Object.keys(TEST_DOCUMENT), ...Object.keys(overrides)])) {
    doc[section] = { ...TEST_DOCUMENT[section], ...overrides[section] };
  }
  // No environment: a test's config never depends on the shell it runs in.
  return parseConfig(stringify(doc), {}, 'test config');
}
