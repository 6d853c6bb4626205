/**
 * The server's check of a signed request (RFC 8945 §5.2) and the client's check of a signed reply,
 * round trips through our own signing: every verdict and every failure kind.
 */
import type { TsigAlgorithm } from '../../store/types';
import type { TsigKey, TsigRecord } from './index';
import { findTsig, signRequest, TSIG_ALGORITHMS, TsigFormatError, verifyRequest } from './index';
import { encodeTsigRecord } from './record';

const T = 1_800_000_000;

/** An SOA query for example.org, RD off, id 0x4242. */
const QUERY = Buffer.concat([
  Buffer.from([0x42, 0x42, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
  Buffer.from('\x07example\x03org\x00\x00\x06\x00\x01', 'latin1'),
]);

const key = (algorithm: TsigAlgorithm, name = 'k.example', secret = Buffer.alloc(32, 7)): TsigKey => ({ name, algorithm, secret });

function tsigOf(msg: Buffer): TsigRecord {
  const record = findTsig(msg);
  if (!record) throw new Error('no TSIG');
  return record;
}

/** The message with its TSIG RR rewritten (fields changed, MAC kept unless given). */
function rewrite(msg: Buffer, change: Partial<Omit<TsigRecord, 'start'>>): Buffer {
  const r = tsigOf(msg);
  return Buffer.concat([msg.subarray(0, r.start), encodeTsigRecord({ ...r, ...change })]);
}

function verify(msg: Buffer, k: TsigKey | undefined, now = T): ReturnType<typeof verifyRequest> {
  return verifyRequest(msg, tsigOf(msg), k, now);
}

describe.each(TSIG_ALGORITHMS.map((a) => [a]))('%s', (algorithm) => {
  const k = key(algorithm);
  const signed = signRequest(QUERY, k, T);

  test('a request we sign verifies, within the fudge on either side', () => {
    for (const now of [T, T - 300, T + 300, T + 0.9]) expect(verify(signed.bytes, k, now).ok).toBe(true);
  });

  test('the signed reply verifies as the client checks it, and only that reply', () => {
    const verdict = verify(signed.bytes, k);
    const reply = Buffer.from(QUERY);
    reply.writeUInt16BE(0x8400, 2);
    const out = verdict.signer.sign(reply, T + 1);
    expect(signed.verifyReply(out, T + 2)).toBe(true);
    expect(signed.verifyReply(out, T + 302)).toBe(false);
    const flipped = Buffer.from(out);
    flipped[14] = (flipped[14] as number) ^ 0x01;
    expect(signed.verifyReply(flipped, T + 2)).toBe(false);
    expect(signed.verifyReply(reply, T + 2)).toBe(false);
    // Another request's MAC: the reply does not answer it.
    expect(signRequest(QUERY, k, T + 1).verifyReply(out, T + 2)).toBe(false);
  });

  test('a changed ID verifies through the Original ID (RFC 8945 §4.3.2)', () => {
    const forwarded = Buffer.from(signed.bytes);
    forwarded.writeUInt16BE(0x9999, 0);
    expect(verify(forwarded, k).ok).toBe(true);
  });

  test('BADKEY: no such key, another name, another algorithm; the reply has an empty MAC', () => {
    const other = TSIG_ALGORITHMS.find((a) => a !== algorithm) as TsigAlgorithm;
    for (const k2 of [undefined, key(algorithm, 'other.example'), key(other)]) {
      const verdict = verify(signed.bytes, k2);
      expect(verdict).toMatchObject({ ok: false, error: 17 });
      const out = verdict.signer.sign(Buffer.from(QUERY), T + 5);
      expect(out.length - QUERY.length).toBe(verdict.signer.overhead);
      expect(out.readUInt16BE(10)).toBe(1);
      expect(tsigOf(out)).toMatchObject({ keyName: 'k.example', error: 17, mac: Buffer.alloc(0), timeSigned: T, originalId: 0x4242 });
    }
  });

  test('BADSIG: a flipped bit in the message or the MAC, or another secret', () => {
    const body = Buffer.from(signed.bytes);
    body[13] = (body[13] as number) ^ 0x20;
    const mac = Buffer.from(tsigOf(signed.bytes).mac);
    mac[mac.length - 1] = (mac[mac.length - 1] as number) ^ 0x01;
    for (const [msg, k2] of [
      [body, k],
      [rewrite(signed.bytes, { mac }), k],
      [signed.bytes, key(algorithm, 'k.example', Buffer.alloc(32, 8))],
      [rewrite(signed.bytes, { fudge: 301 }), k],
      [rewrite(signed.bytes, { timeSigned: T + 1 }), k],
    ] as const) {
      const verdict = verify(msg, k2);
      expect(verdict).toMatchObject({ ok: false, error: 16 });
      expect(tsigOf(verdict.signer.sign(Buffer.from(QUERY), T))).toMatchObject({ error: 16, mac: Buffer.alloc(0) });
    }
  });

  test('BADTIME: outside the fudge, answered signed with our time (RFC 8945 §5.2.3)', () => {
    for (const now of [T + 301, T - 301]) {
      const verdict = verify(signed.bytes, k, now);
      expect(verdict).toMatchObject({ ok: false, error: 18 });
      const out = verdict.signer.sign(Buffer.from(QUERY), now);
      const rr = tsigOf(out);
      expect(rr).toMatchObject({ error: 18, timeSigned: T });
      expect(rr.other.readUIntBE(0, 6)).toBe(now);
      expect(rr.mac.length).toBeGreaterThan(0);
    }
  });
});

describe('MAC truncation (RFC 8945 §5.2.2.1, §5.2.4)', () => {
  // [algorithm, full size, smallest allowed]
  test.each([
    ['hmac-md5', 16, 10],
    ['hmac-sha1', 20, 10],
    ['hmac-sha224', 28, 14],
    ['hmac-sha256', 32, 16],
    ['hmac-sha384', 48, 24],
    ['hmac-sha512', 64, 32],
  ] as const)('%s: full %d, smallest %d', (algorithm, full, smallest) => {
    const k = key(algorithm);
    const signed = signRequest(QUERY, k, T);
    const mac = tsigOf(signed.bytes).mac;
    expect(mac.length).toBe(full);
    const cut = (n: number): Buffer => rewrite(signed.bytes, { mac: mac.subarray(0, n) });
    // Allowed truncation that verifies: our policy wants the whole MAC -> BADTRUNC, signed.
    const verdict = verify(cut(smallest), k);
    expect(verdict).toMatchObject({ ok: false, error: 22 });
    expect(tsigOf(verdict.signer.sign(Buffer.from(QUERY), T)).mac.length).toBe(full);
    // ... checked before the policy: a wrong truncated MAC is BADSIG, and time comes before policy.
    const wrong = Buffer.from(mac.subarray(0, smallest));
    wrong[0] = (wrong[0] as number) ^ 1;
    expect(verify(rewrite(signed.bytes, { mac: wrong }), k)).toMatchObject({ error: 16 });
    expect(verify(cut(smallest), k, T + 301)).toMatchObject({ error: 18 });
    // Forbidden sizes: FORMERR.
    for (const n of [0, 1, smallest - 1]) expect(() => verify(cut(n), k)).toThrow(TsigFormatError);
    const longer = rewrite(signed.bytes, { mac: Buffer.concat([mac, Buffer.from([0])]) });
    expect(() => verify(longer, k)).toThrow(TsigFormatError);
  });

  test('an unknown key is BADKEY whatever the MAC size (the key is checked first)', () => {
    const signed = signRequest(QUERY, key('hmac-sha256'), T);
    expect(verify(rewrite(signed.bytes, { mac: Buffer.alloc(1) }), undefined)).toMatchObject({ error: 17 });
  });
});
