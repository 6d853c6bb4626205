/**
 * The NOTIFY sender against a fake secondary on loopback: retried until acknowledged, a burst
 * coalesced into one NOTIFY with the latest serial, a signed NOTIFY's unsigned reply not taken.
 */
import dgram from 'node:dgram';
import pino from 'pino';
import { parseReply } from '../../../test/support/dns-message';
import { until } from '../../../test/support/poll';
import { testConfig } from '../../../test/support/config';
import { createSoaAt, soaRecord } from '../serial';
import { parseZone } from '../zone';
import { createNotifier, type Notifier } from './notify';

const zone = parseZone(testConfig().dns, 1);
const soaAt = createSoaAt(zone);
const logger = pino({ level: 'silent' });

interface Received {
  readonly id: number;
  readonly serial: number;
  readonly signed: boolean;
}

/** A secondary that records each NOTIFY and answers those `answer` says yes to. */
async function fakeSecondary(answer: (n: number) => boolean): Promise<{ port: number; got: Received[]; close(): void }> {
  const socket = dgram.createSocket('udp4');
  const got: Received[] = [];
  socket.on('message', (msg, peer) => {
    const p = parseReply(msg).packet;
    const soa = p.answers?.find((a) => a.type === 'SOA');
    got.push({ id: msg.readUInt16BE(0), serial: soa?.type === 'SOA' ? (soa.data.serial ?? -1) : -1, signed: msg.readUInt16BE(10) > 0 });
    if (!answer(got.length)) return;
    // The reply: the same header with QR set, no records (RFC 1996 §4.7).
    const reply = Buffer.from(msg.subarray(0, 12));
    reply.writeUInt16BE(msg.readUInt16BE(2) | 0x8000, 2);
    reply.fill(0, 4, 12);
    socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, got, close: () => socket.close() };
}

let notifier: Notifier | undefined;
afterEach(async () => notifier?.stop());

test('not answered: sent again until acknowledged; then quiet', async () => {
  const secondary = await fakeSecondary((n) => n >= 3);
  notifier = createNotifier({ targets: [{ host: '127.0.0.1', port: secondary.port }], soaAt: (s) => soaRecord(zone, soaAt(s)), retryMs: 20, retryMaxMs: 40, logger });
  notifier.notify(5);
  await until('three NOTIFYs', () => secondary.got.length >= 3);
  await new Promise((r) => setTimeout(r, 150));
  expect(secondary.got.map((g) => g.serial)).toEqual([5, 5, 5]);
  secondary.close();
});

test('a burst while one is outstanding becomes one more NOTIFY with the latest serial', async () => {
  let release = false;
  const secondary = await fakeSecondary(() => release);
  notifier = createNotifier({ targets: [{ host: '127.0.0.1', port: secondary.port }], soaAt: (s) => soaRecord(zone, soaAt(s)), retryMs: 300, retryMaxMs: 300, logger });
  notifier.notify(1);
  await until('the first NOTIFY', () => secondary.got.length === 1, { everyMs: 5 });
  for (const serial of [2, 3, 4, 5]) notifier.notify(serial);
  release = true;
  await until('the next NOTIFY', () => secondary.got.length >= 2, { everyMs: 5 });
  await new Promise((r) => setTimeout(r, 700));
  // 2, 3 and 4 were never sent: the retry carried the latest serial, acknowledged, then nothing.
  expect(secondary.got.map((g) => g.serial)).toEqual([1, 5]);
  secondary.close();
});

test('signed with the transfer key; an unsigned reply is not an acknowledgement', async () => {
  const secondary = await fakeSecondary(() => true);
  const key = { name: 'xfr.example', algorithm: 'hmac-sha256' as const, secret: Buffer.alloc(32, 3) };
  notifier = createNotifier({ targets: [{ host: '127.0.0.1', port: secondary.port }], soaAt: (s) => soaRecord(zone, soaAt(s)), key, retryMs: 20, retryMaxMs: 20, logger });
  notifier.notify(8);
  await until('the NOTIFY sent again (the unsigned replies were ignored)', () => secondary.got.length >= 3);
  expect(secondary.got.every((g) => g.signed && g.serial === 8)).toBe(true);
  secondary.close();
});
