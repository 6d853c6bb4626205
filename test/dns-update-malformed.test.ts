/**
 * Hostile UPDATE messages (DESIGN rule 14) against the real daemon: bad counts, a truncated TSIG,
 * a TSIG that is not last, a huge prerequisite section, an UPDATE over UDP above the limit,
 * garbage RDATA. Each is answered with its RCODE or dropped, the server keeps answering, and
 * nothing stored changes (values, audit trail, zone serial).
 */
import crypto from 'node:crypto';
import { register, type Registration } from './support/api-client';
import { frame, rcodeOf, sendUdp, TcpClient, txtValues, udpExchange, udpQuery, type Target } from './support/dns-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { optRecord } from './support/dns-message';
import { buildUpdate, CLASS, TYPE, type RecordSpec } from './support/dns-update';
import { addKey, openDaemonStore, nsupdate } from './support/rfc2136';
import { findTsig, signRequest, type TsigKey } from '../src/dns/tsig';
import { MAX_PREREQUISITES, MAX_UDP_UPDATE_BYTES } from '../src/dns/update/decode';
import type { Store } from '../src/store/types';

const FORMERR = 1;
const REFUSED = 5;
const NOTAUTH = 9;

describe('malformed UPDATE messages', () => {
  let t: TestDaemon;
  let store: Store;
  let a: Registration;
  let key: TsigKey;

  const now = (): number => Math.floor(Date.now() / 1000);
  const add = (value = 'x'): RecordSpec => ({ name: a.fulldomain, type: TYPE.TXT, ttl: 60, txt: [value] });
  const signed = (msg: Buffer): Buffer => signRequest(msg, key, now()).bytes;
  const snapshot = async (): Promise<unknown> => ({
    values: txtValues(await udpQuery(t.dns, { name: a.fulldomain, type: 'TXT' })),
    audit: (await store.listAudit({ limit: 10_000 })).length,
    serial: await store.zoneSerial(),
  });

  async function tcpSend(target: Target, msg: Buffer): Promise<Buffer | undefined> {
    const client = new TcpClient(target);
    client.write(frame(msg));
    const [reply] = await client.waitFor(1);
    client.destroy();
    return reply;
  }

  beforeAll(async () => {
    t = await startTestDaemon();
    store = openDaemonStore(t.dbFile);
    a = await register(t.api);
    const k = await addKey(store, a.username);
    key = { name: k.name, algorithm: k.algorithm, secret: Buffer.from(k.secret, 'base64') };
    expect((await nsupdate({ server: t.dns, key: k, commands: [`update add ${a.fulldomain} 60 TXT "kept"`] })).code).toBe(0);
  });
  afterAll(async () => {
    await store?.close();
    await t?.stop();
  });

  /** A valid signed add whose bytes a case then breaks. */
  const valid = (): Buffer => signed(buildUpdate({ updates: [add()] }));
  const withCount = (msg: Buffer, index: number, value: number): Buffer => {
    const out = Buffer.from(msg);
    out.writeUInt16BE(value, 4 + 2 * index);
    return out;
  };
  const tsigStart = (msg: Buffer): number => findTsig(msg)?.start as number;

  const cases: ReadonlyArray<readonly [string, () => Buffer, number | 'drop', 'udp' | 'tcp']> = [
    ['UPCOUNT above the records', () => withCount(valid(), 2, 2), FORMERR, 'udp'],
    ['ADCOUNT above the records', () => withCount(valid(), 3, 3), FORMERR, 'udp'],
    ['ZOCOUNT 0 over the bytes', () => withCount(valid(), 0, 0), FORMERR, 'udp'],
    ['PRCOUNT 65535', () => withCount(valid(), 1, 65535), REFUSED, 'tcp'],
    ['a truncated TSIG', () => valid().subarray(0, -4), FORMERR, 'udp'],
    ['a TSIG cut inside its owner name', () => { const m = valid(); return m.subarray(0, tsigStart(m) + 3); }, FORMERR, 'tcp'],
    ['a TSIG that is not last', () => { const m = withCount(valid(), 3, 2); return Buffer.concat([m, optRecord({ udpSize: 1232 })]); }, FORMERR, 'udp'],
    ['a TSIG among the updates', () => buildUpdate({ updates: [{ name: key.name, type: TYPE.TSIG, klass: CLASS.ANY, rdata: Buffer.alloc(30) }] }), FORMERR, 'udp'],
    ['a TSIG with a one-octet MAC', () => {
      const m = valid();
      const r = findTsig(m);
      if (!r) throw new Error('no TSIG');
      const macAt = m.length - 6 - r.mac.length;
      const out = Buffer.concat([m.subarray(0, macAt - 2), Buffer.from([0, 1, r.mac[0] as number]), m.subarray(macAt + r.mac.length)]);
      const rdLenAt = r.start + key.name.length + 2 + 8;
      out.writeUInt16BE(out.readUInt16BE(rdLenAt) - r.mac.length + 1, rdLenAt);
      return out;
    }, FORMERR, 'udp'],
    ['a huge prerequisite section', () => buildUpdate({ prerequisites: Array.from({ length: 900 }, () => ({ name: a.fulldomain, type: TYPE.TXT, klass: CLASS.ANY })), updates: [add()] }), REFUSED, 'tcp'],
    [`${MAX_PREREQUISITES + 1} prerequisites, signed`, () => signed(buildUpdate({ prerequisites: Array.from({ length: MAX_PREREQUISITES + 1 }, () => ({ name: a.fulldomain, type: TYPE.TXT, klass: CLASS.ANY })), updates: [add()] })), REFUSED, 'tcp'],
    // Well-formed and signed, its prerequisites hold: only the size refuses it.
    ['an UPDATE over UDP above the limit', () => signed(buildUpdate({ prerequisites: Array.from({ length: 70 }, () => ({ name: a.fulldomain, type: TYPE.TXT, klass: CLASS.ANY })), updates: [add()] })), REFUSED, 'udp'],
    ['TXT RDATA with a string past its end', () => signed(buildUpdate({ updates: [{ ...add(), txt: undefined, rdata: Buffer.from([200, 0x61, 0x62]) }] })), FORMERR, 'udp'],
    ['an A record with garbage RDATA', () => signed(buildUpdate({ updates: [{ name: a.fulldomain, type: TYPE.A, ttl: 60, rdata: crypto.randomBytes(7) }] })), REFUSED, 'udp'],
    ['a pointer loop in an owner', () => Buffer.concat([buildUpdate({ counts: [1, 0, 1, 0] }), Buffer.from([0xc0, 0x22, 0, 16, 0, 1, 0, 0, 0, 0, 0, 0])]), FORMERR, 'udp'],
    ['trailing garbage after the TSIG', () => Buffer.concat([valid(), crypto.randomBytes(9)]), FORMERR, 'tcp'],
    ['a header alone', () => buildUpdate({ zones: [] }), REFUSED, 'udp'],
    ['a changed byte under the MAC', () => { const m = valid(); m[m.length - 60] = (m[m.length - 60] as number) ^ 0xff; return m; }, NOTAUTH, 'udp'],
    ['eleven bytes', () => buildUpdate({}).subarray(0, 11), 'drop', 'udp'],
    ['a response (QR=1)', () => { const m = valid(); m[2] = (m[2] as number) | 0x80; return m; }, 'drop', 'udp'],
  ];

  test.each(cases)('%s', async (_what, bytes, expected, transport) => {
    const before = await snapshot();
    const msg = bytes();
    if (transport === 'udp') expect(msg.length <= MAX_UDP_UPDATE_BYTES || expected === REFUSED).toBe(true);
    if (expected === 'drop') {
      expect(await udpExchange(t.dns, msg)).toEqual([]);
    } else {
      const reply = transport === 'udp' ? await sendUdp(t.dns, msg) : await tcpSend(t.tcp, msg);
      if (!reply) throw new Error('no reply');
      expect({ rcode: reply.readUInt16BE(2) & 0xf, opcode: (reply.readUInt16BE(2) >> 11) & 0xf, id: reply.readUInt16BE(0) }).toEqual({ rcode: expected, opcode: 5, id: msg.readUInt16BE(0) });
    }
    // Still answering, over both transports, and nothing changed.
    expect(rcodeOf(await udpQuery(t.dns, { name: 'auth.example.org', type: 'SOA' }))).toBe('NOERROR');
    expect(await snapshot()).toEqual(before);
  });

  test('random bytes behind an UPDATE header never change anything', async () => {
    const before = await snapshot();
    for (let i = 0; i < 200; i++) {
      const msg = Buffer.concat([buildUpdate({}).subarray(0, 12), crypto.randomBytes(1 + (i % 300))]);
      msg.writeUInt16BE(0x2800, 2); // opcode 5, QR=0
      await sendUdp(t.dns, msg, 1000);
    }
    expect(rcodeOf(await udpQuery(t.dns, { name: 'auth.example.org', type: 'SOA' }))).toBe('NOERROR');
    expect(await snapshot()).toEqual(before);
  });
});
