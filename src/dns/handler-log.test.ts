/** The handler's SERVFAIL log lines are rate-limited: a failing store under a flood logs little. */
import pino from 'pino';
import { StoreUnavailableError } from '../core/errors';
import { createHandler, SERVFAIL_LOG_INTERVAL_MS } from './handler';
import { parseZone } from './zone';

const zone = parseZone({ domain: 'auth.example.org', nsname: 'auth.example.org', nsadmin: 'admin.example.org', records: [], negativeTtl: 60, txtTtl: 1, staticTtl: 3600 });

/** A TXT query for `<label>.auth.example.org`, built by hand (RFC 1035 §4.1). */
function query(id: number, label: string): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(id, 0);
  head.writeUInt16BE(1, 4);
  const name = Buffer.concat([...[label, 'auth', 'example', 'org'].map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
  return Buffer.concat([head, name, Buffer.from([0, 16, 0, 1])]);
}

/** A handler over a store that fails with `err`, a capturing logger and a clock the test moves. */
function failingHandler(err: Error) {
  const lines: Array<{ msg: string; suppressed: number }> = [];
  const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l) as { msg: string; suppressed: number }) });
  const clock = { ms: 1_000_000 };
  const fail = async (): Promise<never> => {
    throw err;
  };
  const handler = createHandler({ zone, lookup: fail, challenges: fail, logger, now: () => 1_795_435_199, clockMs: () => clock.ms });
  return { handler, lines, clock };
}

describe.each([
  ['store unavailable', new StoreUnavailableError('database is locked'), 'store unavailable: answered SERVFAIL'],
  ['any other error', new TypeError('bug'), 'DNS handler failed: answered SERVFAIL'],
])('%s', (_name, err, msg) => {
  test('1,000 SERVFAILs in one interval: one line; the next interval\'s line counts the other 999', async () => {
    const { handler, lines, clock } = failingHandler(err);
    const rcodes = await Promise.all(Array.from({ length: 1000 }, (_, i) => handler(query(i, `x${i}`), 'udp', '127.0.0.1')));
    expect(rcodes.map((r) => (r ? r.readUInt16BE(2) & 0xf : -1))).toEqual(new Array(1000).fill(2));
    expect(lines.map((l) => [l.msg, l.suppressed])).toEqual([[msg, 0]]);
    clock.ms += SERVFAIL_LOG_INTERVAL_MS;
    await handler(query(1000, 'late'), 'tcp', '127.0.0.1');
    expect(lines.map((l) => [l.msg, l.suppressed])).toEqual([
      [msg, 0],
      [msg, 999],
    ]);
  });
});
