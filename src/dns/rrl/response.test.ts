import pino from 'pino';
import type { NameData } from '../../core/types';
import { createHandler } from '../handler';
import { parseZone } from '../zone';
import { classify, slipped } from './response';

const SUB = 'd420c923-bbd7-4056-ab64-c3ca54c9b3cf';
const zone = parseZone(
  {
    domain: 'auth.example.org',
    nsname: 'auth.example.org',
    nsadmin: 'admin.example.org',
    records: ['auth.example.org. A 198.51.100.1', 'auth.example.org. NS auth.example.org.'],
    negativeTtl: 60,
    txtTtl: 1,
    staticTtl: 3600,
  },
  2026112311,
);
const account: NameData = { values: ['a'.repeat(43)] };
const handler = createHandler({
  zone,
  lookup: async (label) => (label === SUB ? account : undefined),
  challenges: async () => [],
  logger: pino({ level: 'silent' }),
  now: () => 1_795_435_199,
});

/** A query built by hand (the codec stays behind wire.ts): id 0x1234, RD, one question, optional OPT. */
function query(name: string, opts: { type?: number; klass?: number; edns?: number; qdcount?: number } = {}): Buffer {
  const labels = name.split('.').filter((l) => l !== '');
  const qname = Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0])]);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(0x1234, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(opts.qdcount ?? 1, 4);
  header.writeUInt16BE(opts.edns === undefined ? 0 : 1, 10);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(opts.type ?? 16, 0);
  tail.writeUInt16BE(opts.klass ?? 1, 2);
  const opt = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, opts.edns ?? 0, 0, 0, 0, 0]);
  return Buffer.concat([header, ...(opts.qdcount === 0 ? [] : [qname, tail]), ...(opts.edns === undefined ? [] : [opt])]);
}

async function reply(msg: Buffer): Promise<Buffer> {
  const out = await handler(msg, 'udp', '127.0.0.1');
  if (!out) throw new Error('no reply');
  return out;
}

const lower = (name: string): string => `${name.toLowerCase().split('.').map((l) => String.fromCharCode(l.length) + l).join('')}\0`;

describe('classify', () => {
  test.each<[string, Buffer, string, string]>([
    ['an account TXT answer, per name', query(`${SUB}.auth.example.org`), 'answer', lower(`${SUB}.auth.example.org`)],
    ['0x20 spelling counts as the same name', query(`${SUB.toUpperCase()}.Auth.Example.ORG`), 'answer', lower(`${SUB}.auth.example.org`)],
    ['NODATA at the apex, per name', query('auth.example.org', { type: 28 }), 'answer', lower('auth.example.org')],
    ['an apex A answer', query('auth.example.org', { type: 1, edns: 0 }), 'answer', lower('auth.example.org')],
    ['NXDOMAIN: one group for the zone', query('random-1.auth.example.org'), 'nxdomain', ''],
    ['REFUSED outside the zone: an error', query('example.com'), 'error', ''],
    ['class CH: an error', query('auth.example.org', { klass: 3 }), 'error', ''],
    ['BADVERS (NOERROR in the header): an error', query('auth.example.org', { edns: 1 }), 'error', ''],
    ['FORMERR without a question: an error', query('x', { qdcount: 0 }), 'error', ''],
  ])('%s', async (_name, msg, kind, name) => {
    expect(classify(await reply(msg))).toEqual({ kind, name });
  });

  test('bytes too short to be a response are an error', () => {
    expect(classify(Buffer.alloc(5))).toEqual({ kind: 'error', name: '' });
  });
});

describe('slipped', () => {
  test.each<[string, Buffer, number]>([
    ['an answer without EDNS', query(`${SUB}.auth.example.org`), 0],
    ['an answer with EDNS keeps our OPT (RFC 6891 §6.1.1)', query(`${SUB}.Auth.example.org`, { edns: 0 }), 1],
    ['NXDOMAIN with its SOA', query('nope.auth.example.org', { edns: 0 }), 1],
  ])('%s: TC=1, the question, no records', async (_name, msg, arcount) => {
    const full = await reply(msg);
    const out = slipped(full);
    expect(out.readUInt16BE(0)).toBe(0x1234);
    expect(out.readUInt16BE(2)).toBe(full.readUInt16BE(2) | 0x0200);
    expect([out.readUInt16BE(4), out.readUInt16BE(6), out.readUInt16BE(8), out.readUInt16BE(10)]).toEqual([1, 0, 0, arcount]);
    const questionEnd = msg.length - (arcount ? 11 : 0);
    // The question comes back exactly as asked (0x20 spelling kept), then the OPT when there was one.
    expect(out.subarray(12, questionEnd)).toEqual(msg.subarray(12, questionEnd));
    expect(out.length).toBe(questionEnd + (arcount ? 11 : 0));
    if (arcount) expect(out.subarray(questionEnd)).toEqual(full.subarray(full.length - 11));
  });

  test('a FORMERR without a question slips as a bare header', async () => {
    const out = slipped(await reply(query('x', { qdcount: 0 })));
    expect(out.length).toBe(12);
    expect(out.readUInt16BE(2) & 0x0200).toBe(0x0200);
  });
});
