/** A DNS worker's UPDATE forwarding: the primary's reply passed on; no primary or no reply in time: SERVFAIL. */
import { silentLogger } from '../log';
import { createUpdateForwarder, type SendToPrimary } from './update-forward';
import type { ToPrimary } from './ipc';

/** An UPDATE's first bytes as a client sends them: ID 0x4242, opcode 5, one zone entry. */
const REQUEST = Buffer.from('42422800000100000000000004617574680765786d706c65036f726700000600 01'.replace(/ /g, ''), 'hex');

/** ID, QR, opcode 5 and RCODE of a reply. */
const summary = (reply: Buffer | null): unknown =>
  reply && { id: reply.readUInt16BE(0), qr: (reply[2] ?? 0) >> 7, opcode: ((reply[2] ?? 0) >> 3) & 0xf, rcode: (reply[3] ?? 0) & 0xf };

test('the whole message goes to the primary and its reply comes back', async () => {
  const sent: ToPrimary[] = [];
  const forwarder = createUpdateForwarder((m, done) => {
    sent.push(m);
    done(null);
  }, silentLogger());
  const reply = forwarder.forward(REQUEST, 'tcp', '192.0.2.7');
  expect(sent).toEqual([{ type: 'update', id: 0, message: REQUEST.toString('base64'), transport: 'tcp', source: '192.0.2.7' }]);
  forwarder.settle(0, Buffer.from('answer').toString('base64'));
  await expect(reply).resolves.toEqual(Buffer.from('answer'));
  // A reply the primary chose not to send (null) stays null; a late or unknown ID changes nothing.
  const dropped = forwarder.forward(REQUEST, 'udp', '192.0.2.7');
  forwarder.settle(1, null);
  forwarder.settle(99, 'AAAA');
  await expect(dropped).resolves.toBeNull();
});

test('no channel to the primary: SERVFAIL with the request ID', async () => {
  const gone: SendToPrimary = (_m, done) => done(new Error('channel closed'));
  const reply = await createUpdateForwarder(gone, silentLogger()).forward(REQUEST, 'udp', '192.0.2.7');
  expect(summary(reply)).toEqual({ id: 0x4242, qr: 1, opcode: 5, rcode: 2 });
});

test('no reply in time: SERVFAIL', async () => {
  const silent: SendToPrimary = (_m, done) => done(null);
  const reply = await createUpdateForwarder(silent, silentLogger(), 5).forward(REQUEST, 'udp', '192.0.2.7');
  expect(summary(reply)).toEqual({ id: 0x4242, qr: 1, opcode: 5, rcode: 2 });
});

test('the primary is gone: everything waiting gets SERVFAIL at once', async () => {
  const forwarder = createUpdateForwarder((_m, done) => done(null), silentLogger());
  const waiting = [forwarder.forward(REQUEST, 'udp', 'a'), forwarder.forward(REQUEST, 'tcp', 'b')];
  forwarder.failAll();
  expect((await Promise.all(waiting)).map(summary)).toEqual([
    { id: 0x4242, qr: 1, opcode: 5, rcode: 2 },
    { id: 0x4242, qr: 1, opcode: 5, rcode: 2 },
  ]);
});

test('a message too short for a header is not answered', async () => {
  const reply = await createUpdateForwarder((_m, done) => done(new Error('gone')), silentLogger()).forward(Buffer.from([1, 2, 3]), 'udp', 'a');
  expect(reply).toBeNull();
});
