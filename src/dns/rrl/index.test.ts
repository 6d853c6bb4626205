import pino from 'pino';
import type { RrlConfig } from '../../config/types';
import type { RrlAction } from '../../metrics/types';
import { createUdpReplyLimit } from './index';

const CONFIG: RrlConfig = {
  enabled: true,
  responsesPerSecond: 1,
  slip: 2,
  windowSeconds: 15,
  ipv4Prefix: 24,
  ipv6Prefix: 56,
  exempt: ['192.0.2.0/24'],
  tableSize: 2,
};

/** An authoritative NOERROR reply to a question for `label`.example (enough for classify). */
function reply(label: string): Buffer {
  const header = Buffer.from([0x12, 0x34, 0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 0]);
  const name = Buffer.concat([Buffer.from([label.length]), Buffer.from(label), Buffer.from([7]), Buffer.from('example'), Buffer.from([0])]);
  return Buffer.concat([header, name, Buffer.from([0, 16, 0, 1]), Buffer.alloc(30, 0x61)]);
}

function setup(config: Partial<RrlConfig> = {}) {
  let t = 100;
  const actions: RrlAction[] = [];
  const lines: { msg: string; sharedReplies?: number }[] = [];
  const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(JSON.parse(l) as { msg: string }) });
  const limit = createUdpReplyLimit({ config: { ...CONFIG, ...config }, now: () => t, metrics: { dnsRrl: (a) => actions.push(a) }, logger });
  if (!limit) throw new Error('expected a limit');
  return { limit, actions, lines, advance: (s: number) => (t += s) };
}

/** What each reply became: s(ent as built), T(runcated), -(nothing). */
const outcome = (full: Buffer, out: Buffer | null): string => (out === null ? '-' : out === full ? 's' : 'T');

test('off: no step at all', () => {
  expect(createUdpReplyLimit({ config: { ...CONFIG, enabled: false }, now: () => 0 })).toBeUndefined();
});

test.each<[string, string[], string]>([
  ['one source, one name', ['198.51.100.1', '198.51.100.1', '198.51.100.1', '198.51.100.1'], 'sT-T'],
  ['the same /24 shares; IPv4-mapped is the same source', ['198.51.100.1', '198.51.100.200', '::ffff:198.51.100.7'], 'sT-'],
  ['another /24 has its own allowance', ['198.51.100.1', '198.51.101.1', '198.51.100.1', '198.51.101.1'], 'ssTT'],
  ['an exempt source is never limited', ['192.0.2.1', '192.0.2.1', '192.0.2.1'], 'sss'],
  ['IPv6 by /56', ['2001:db8:0:1::1', '2001:db8:0:ff::2', '2001:db8:0:100::3'], 'sTs'],
])('%s', (_name, sources, want) => {
  const { limit } = setup({ tableSize: 100 });
  const full = reply('a');
  expect(sources.map((s) => outcome(full, limit(full, s))).join('')).toBe(want);
});

test('limited replies are counted by action; a slip is the truncated form', () => {
  const { limit, actions } = setup();
  const full = reply('a');
  const outs = [1, 2, 3].map(() => limit(full, '198.51.100.1'));
  expect(actions).toEqual(['slipped', 'dropped']);
  expect(outs[1]?.readUInt16BE(2)).toBe(0x8600);
  expect(outs[1]?.length).toBe(12 + 11 + 4);
});

test('a full table is said once a minute, with the replies that shared the overflow allowance', () => {
  const { limit, lines, advance } = setup({ windowSeconds: 3600 });
  // a and b fill the table and stay remembered (window 1 h); c, d, e, f share the overflow.
  for (const name of ['a', 'b', 'c', 'd']) limit(reply(name), '198.51.100.1');
  advance(30);
  limit(reply('e'), '198.51.100.1');
  advance(31);
  limit(reply('f'), '198.51.100.1');
  expect(lines.map((l) => [l.msg.split(':')[0], l.sharedReplies])).toEqual([
    ['RRL table full', 1],
    ['RRL table full', 3],
  ]);
});
