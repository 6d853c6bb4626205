/**
 * The handler's TSIG step (RFC 8945 §5.2, §5.3) for what the real-client tests cannot provoke:
 * a key store that fails, a MAC size RFC 8945 forbids, and answers other than NOERROR to a signed
 * request (each signed). The real clients are in test/dns-tsig.test.ts.
 */
import pino from 'pino';
import { StoreUnavailableError } from '../core/errors';
import type { HandlerDeps } from './handler';
import { createHandler } from './handler';
import type { TsigKey, TsigRecord } from './tsig';
import { findTsig, signRequest } from './tsig';
import { encodeTsigRecord } from './tsig/record';
import { parseZone } from './zone';

const T = 1_795_435_199;
const zone = parseZone({ domain: 'auth.example.org', nsname: 'auth.example.org', nsadmin: 'admin.example.org', records: [], negativeTtl: 60, txtTtl: 1, staticTtl: 3600 });
const KEY: TsigKey = { name: 'k.example', algorithm: 'hmac-sha256', secret: Buffer.alloc(32, 3) };

/** A query by hand: `labels` under auth.example.org, type, class IN, opcode. */
function query(labels: string[], type = 16, opcode = 0): Buffer {
  const head = Buffer.from([0x77, 0x77, opcode << 3, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  const name = Buffer.concat([...[...labels, 'auth', 'example', 'org'].map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
  return Buffer.concat([head, name, Buffer.from([0, type, 0, 1])]);
}

function handler(over: Partial<HandlerDeps> = {}): ReturnType<typeof createHandler> {
  return createHandler({
    zone,
    lookup: async (sub) => (sub === 'acct' ? { values: ['v'] } : undefined),
    challenges: async () => [],
    logger: pino({ level: 'silent' }),
    now: () => T,
    tsigKey: async (name) => (name === KEY.name ? KEY : undefined),
    ...over,
  });
}

async function ask(h: ReturnType<typeof createHandler>, msg: Buffer): Promise<{ rcode: number; raw: Buffer; tsig: TsigRecord | undefined }> {
  const raw = await h(msg, 'udp', '127.0.0.1');
  if (!raw) throw new Error('dropped');
  return { rcode: raw.readUInt16BE(2) & 0xf, raw, tsig: findTsig(raw) };
}

test.each([
  ['NXDOMAIN', query(['nobody']), 3],
  ['NOTIMP (opcode STATUS)', query(['acct'], 16, 2), 4],
  ['REFUSED (outside the zone)', Buffer.concat([Buffer.from([0x77, 0x77, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from('\x03foo\x00\x00\x10\x00\x01', 'latin1')]), 5],
])('a verified request answered %s is signed', async (_name, msg, rcode) => {
  const signed = signRequest(msg, KEY, T);
  const reply = await ask(handler(), signed.bytes);
  expect(reply.rcode).toBe(rcode);
  expect(signed.verifyReply(reply.raw, T)).toBe(true);
});

test('the key store down: SERVFAIL, unsigned (nothing was verified)', async () => {
  const down = handler({
    tsigKey: async () => {
      throw new StoreUnavailableError('down');
    },
  });
  const reply = await ask(down, signRequest(query(['acct']), KEY, T).bytes);
  expect(reply).toMatchObject({ rcode: 2, tsig: undefined });
});

test('the data store down after a verified request: SERVFAIL, signed', async () => {
  const down = handler({
    lookup: async () => {
      throw new StoreUnavailableError('down');
    },
  });
  const signed = signRequest(query(['acct']), KEY, T);
  const reply = await ask(down, signed.bytes);
  expect(reply.rcode).toBe(2);
  expect(signed.verifyReply(reply.raw, T)).toBe(true);
});

test('a MAC size RFC 8945 §5.2.2.1 forbids: FORMERR, no TSIG', async () => {
  const signed = signRequest(query(['acct']), KEY, T).bytes;
  const record = findTsig(signed) as TsigRecord;
  const cut = Buffer.concat([signed.subarray(0, record.start), encodeTsigRecord({ ...record, mac: record.mac.subarray(0, 15) })]);
  const reply = await ask(handler(), cut);
  expect(reply).toMatchObject({ rcode: 1, tsig: undefined });
});

test('a refused signature: NOTAUTH with the question, no answer', async () => {
  const reply = await ask(handler(), signRequest(query(['acct']), { ...KEY, secret: Buffer.alloc(32, 4) }, T).bytes);
  expect(reply.rcode).toBe(9);
  expect(reply.raw.readUInt16BE(4)).toBe(1);
  expect(reply.raw.readUInt16BE(6)).toBe(0);
  expect(reply.tsig).toMatchObject({ error: 16 });
});
