/** A transfer's records over several messages (RFC 5936 §2.2): each within the limit, every record once, in order. */
import { parseReply } from '../../test/support/dns-message';
import type { ResourceRecord, Response } from './packet';
import { encodeAnswerMessages } from './wire';

const question = Buffer.from([4, ...Buffer.from('auth'), 7, ...Buffer.from('example'), 3, ...Buffer.from('org'), 0, 0, 252, 0, 1]);
const res: Response = {
  header: { id: 0x1234, opcode: 0, rd: false, cd: false },
  rcode: 0,
  aa: true,
  questionBytes: question,
  answer: [],
  authority: [],
  edns: undefined,
};
const txt = (i: number): ResourceRecord => ({ name: `n${i}.auth.example.org`, ttl: 1, data: { type: 'TXT', strings: [Buffer.from(`value-${i}-`.padEnd(43, 'x'))] } });

test.each([512, 4096, 65535])('1,000 records within %d octets a message: all there once, in order, the question in each', (limit) => {
  const records = Array.from({ length: 1000 }, (_, i) => txt(i));
  const messages = encodeAnswerMessages(res, records, limit);
  expect(messages.length).toBeGreaterThan(limit === 65535 ? 0 : 1);
  const names: string[] = [];
  for (const m of messages) {
    expect(m.length).toBeLessThanOrEqual(limit);
    const p = parseReply(m).packet;
    expect(p.id).toBe(0x1234);
    expect(p.flag_aa).toBe(true);
    expect(p.questions?.[0]?.name).toBe('auth.example.org');
    names.push(...(p.answers ?? []).map((a) => a.name));
  }
  expect(names).toEqual(records.map((r) => r.name));
});

test('no records: one message with the question alone', () => {
  const [only, ...rest] = encodeAnswerMessages(res, [], 512);
  expect(rest).toEqual([]);
  expect(parseReply(only as Buffer).packet.answers).toEqual([]);
});
