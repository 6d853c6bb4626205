/** `[transfer]`: defaults (nobody may transfer), every key set, environment overrides, and bad values named by key. */
import { parseConfig } from '.';

const base = '[general]\ndomain = "auth.example.org"\n[database]\nengine = "sqlite"\nconnection = "x.db"\n';
const SECRET = Buffer.alloc(32, 7).toString('base64');

test('defaults: no secondaries, nobody allowed, no key', () => {
  expect(parseConfig(base, {}).transfer).toEqual({
    secondaries: [],
    allow: [],
    tsig: undefined,
    journalSize: 1000,
    notifyRetrySeconds: 2,
    notifyRetryMaxSeconds: 60,
    notifyPollSeconds: 2,
    expiryIntervalSeconds: 60,
  });
});

test('every key; secondaries default to port 53; allow entries normalised; the key name lower-cased without its dot', () => {
  const toml = `${base}[transfer]
secondaries = ["192.0.2.53", "192.0.2.54:5353", "[2001:db8::53]:53", "2001:db8::54"]
allow = ["198.51.100.0/24", "2001:db8::1"]
tsig_key = "Transfer.Example."
tsig_algorithm = "HMAC-SHA512"
tsig_secret = "${SECRET}"
journal_size = 50
notify_retry = "5s"
notify_retry_max = "10m"
notify_poll = 3
expiry_interval = 2
`;
  expect(parseConfig(toml, {}).transfer).toEqual({
    secondaries: [
      { host: '192.0.2.53', port: 53, text: '192.0.2.53' },
      { host: '192.0.2.54', port: 5353, text: '192.0.2.54:5353' },
      { host: '2001:db8::53', port: 53, text: '[2001:db8::53]:53' },
      { host: '2001:db8::54', port: 53, text: '2001:db8::54' },
    ],
    allow: ['198.51.100.0/24', '2001:db8::1/128'],
    tsig: { name: 'transfer.example', algorithm: 'hmac-sha512', secret: SECRET },
    journalSize: 50,
    notifyRetrySeconds: 5,
    notifyRetryMaxSeconds: 600,
    notifyPollSeconds: 3,
    expiryIntervalSeconds: 2,
  });
});

test('environment overrides', () => {
  const env = {
    ACMEDNS_TRANSFER_SECONDARIES: '127.0.0.1:5300,[::1]:5301',
    ACMEDNS_TRANSFER_ALLOW: '10.0.0.0/8',
    ACMEDNS_TRANSFER_TSIG_KEY: 'xfr',
    ACMEDNS_TRANSFER_TSIG_SECRET: SECRET,
    ACMEDNS_TRANSFER_JOURNAL_SIZE: '7',
  };
  expect(parseConfig(base, env).transfer).toMatchObject({
    secondaries: [
      { host: '127.0.0.1', port: 5300 },
      { host: '::1', port: 5301 },
    ],
    allow: ['10.0.0.0/8'],
    tsig: { name: 'xfr', algorithm: 'hmac-sha256', secret: SECRET },
    journalSize: 7,
  });
});

test.each([
  ['secondaries = ["ns.example.org"]', 'config: transfer.secondaries'],
  ['secondaries = ["192.0.2.1:0"]', 'transfer.secondaries'],
  ['secondaries = ["192.0.2.1:70000"]', 'transfer.secondaries'],
  ['secondaries = ["[192.0.2.1]:53"]', 'transfer.secondaries'],
  ['secondaries = "192.0.2.1"', 'transfer.secondaries'],
  ['allow = ["10.0.0.0/33"]', 'transfer.allow'],
  ['tsig_key = "xfr"', 'config: transfer.tsig_secret is required when tsig_key or tsig_secret is set'],
  [`tsig_secret = "${SECRET}"`, 'config: transfer.tsig_key is required when tsig_key or tsig_secret is set'],
  ['tsig_key = "xfr"\ntsig_secret = "not base64!"', 'config: transfer.tsig_secret must be base64'],
  [`tsig_key = "xfr"\ntsig_secret = "${SECRET}"\ntsig_algorithm = "hmac-sha3"`, 'config: transfer.tsig_algorithm must be one of hmac-sha256'],
  ['journal_size = 0', 'config: transfer.journal_size must be an integer from 1 to 1000000 (got 0)'],
  ['notify_retry = 0', 'transfer.notify_retry'],
  ['notify_retry = 10\nnotify_retry_max = 5', 'config: transfer.notify_retry_max must be at least notify_retry (10 s)'],
  ['notify_poll = "1d"', 'transfer.notify_poll'],
  ['expiry_interval = -1', 'transfer.expiry_interval'],
])('%s is refused: %s', (lines, message) => {
  expect(() => parseConfig(`${base}[transfer]\n${lines}\n`, {})).toThrow(message);
});
