/** Reading the TSIG RR (RFC 8945 §4.2): every field, and every bound refused with TsigFormatError. */
import type { TsigAlgorithm } from '../../store/types';
import { parseTsigRecord, signRequest, TsigFormatError } from './index';
import { encodeTsigRecord } from './record';
import { algorithmFromWireName, algorithmWireName, parseTsigAlgorithm } from './algorithms';

const HEADER = Buffer.from([0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
const QUESTION = Buffer.from('\x07example\x03org\x00\x00\x06\x00\x01', 'latin1');

const FIELDS = {
  keyName: 'k.example',
  algorithm: 'hmac-sha256',
  timeSigned: 0x0102_0304_0506,
  fudge: 300,
  mac: Buffer.alloc(32, 0xab),
  originalId: 0x1234,
  error: 0,
  other: Buffer.alloc(0),
};

/** A message whose last record is `rr`, and the offsets parseTsigRecord takes. */
function message(rr: Buffer): [Buffer, number, number] {
  const msg = Buffer.concat([HEADER, QUESTION, rr]);
  return [msg, HEADER.length + QUESTION.length, msg.length];
}

const parse = (rr: Buffer): ReturnType<typeof parseTsigRecord> => parseTsigRecord(...message(rr));

/** `rr` with the 16-bit field at `offset` (from the RR's start) set to `value`. */
function patch16(rr: Buffer, offset: number, value: number): Buffer {
  const out = Buffer.from(rr);
  out.writeUInt16BE(value, offset);
  return out;
}

const RR = encodeTsigRecord(FIELDS);
// Offsets in RR: owner 11 bytes (\x01k\x07example\x00), TYPE 11, CLASS 13, TTL 15, RDLENGTH 19,
// algorithm 21 (13 bytes), time 34, fudge 40, MAC size 42, MAC 44, original ID 76, error 78, other len 80.

test('every field is read back', () => {
  expect(RR.length).toBe(82);
  expect(parse(RR)).toEqual({ ...FIELDS, start: 29 });
});

test('names: lower-cased, a compressed owner followed, odd bytes escaped', () => {
  const upper = Buffer.from(RR);
  upper.write('K', 1, 'latin1');
  upper.write('HMAC', 22, 'latin1');
  expect(parse(upper)).toMatchObject({ keyName: 'k.example', algorithm: 'hmac-sha256' });
  // Owner `k` + pointer to "example.org" at offset 12: the owner is an ordinary RR name.
  const pointed = Buffer.concat([Buffer.from([1, 0x6b, 0xc0, 12]), RR.subarray(11)]);
  expect(parse(pointed).keyName).toBe('k.example.org');
  const dotted = Buffer.concat([Buffer.from('\x03a.b\x07example\x00', 'latin1'), RR.subarray(11)]);
  expect(parse(dotted).keyName).toBe('a\\.b.example');
});

test('other data is read', () => {
  const rr = encodeTsigRecord({ ...FIELDS, error: 18, other: Buffer.from([0, 0, 1, 2, 3, 4]) });
  expect(parse(rr)).toMatchObject({ error: 18, other: Buffer.from([0, 0, 1, 2, 3, 4]) });
});

/** RR with the algorithm name replaced by `name` (RDLENGTH adjusted). */
function withAlgorithm(name: Buffer): Buffer {
  const rdata = Buffer.concat([name, RR.subarray(34)]);
  return Buffer.concat([patch16(RR, 19, rdata.length).subarray(0, 21), rdata]);
}

test.each([
  ['type is not TSIG', patch16(RR, 11, 16), /not a TSIG/],
  ['class is not ANY', patch16(RR, 13, 1), /class/],
  ['TTL is not 0', patch16(RR, 17, 1), /TTL/],
  ['RDLENGTH one short', patch16(RR, 19, RR.readUInt16BE(19) - 1), /RDLENGTH/],
  ['RDLENGTH one long', patch16(RR, 19, RR.readUInt16BE(19) + 1), /RDLENGTH/],
  ['MAC size past the end', patch16(RR, 42, 40), /runs past/],
  ['MAC size one short', patch16(RR, 42, 31), /Other Len/],
  ['Other Len past the end', patch16(RR, 80, 1), /Other Len/],
  ['one byte more than Other Len says', Buffer.concat([patch16(RR, 19, RR.readUInt16BE(19) + 1), Buffer.from([0])]), /Other Len/],
  ['compressed algorithm name', withAlgorithm(Buffer.from([0xc0, 12])), /compressed/],
  ['algorithm name runs past the end', withAlgorithm(Buffer.from([63, 0x61])), /runs past/],
  ['extended label in the owner', Buffer.concat([Buffer.from([0x41]), RR.subarray(1)]), /longer than 63/],
])('%s: TsigFormatError', (_name, rr, reason) => {
  expect(() => parse(rr)).toThrow(TsigFormatError);
  expect(() => parse(rr)).toThrow(reason);
});

test('every prefix of the RR is refused', () => {
  for (let n = 0; n < RR.length; n++) {
    const [msg, start] = message(RR.subarray(0, n));
    expect(() => parseTsigRecord(msg, start, msg.length)).toThrow(TsigFormatError);
  }
});

test('a signed request parses at its own offsets', () => {
  const signed = signRequest(Buffer.concat([HEADER.subarray(0, 11), Buffer.from([0]), QUESTION]), { name: 'k.example', algorithm: 'hmac-md5', secret: Buffer.from('s') }, 1000);
  expect(parseTsigRecord(signed.bytes, 29, signed.bytes.length)).toMatchObject({ keyName: 'k.example', algorithm: 'hmac-md5.sig-alg.reg.int', timeSigned: 1000, fudge: 300 });
});

describe('algorithm names (RFC 8945 §6)', () => {
  test.each([
    ['hmac-md5.sig-alg.reg.int', 'hmac-md5'],
    ['HMAC-MD5.SIG-ALG.REG.INT.', 'hmac-md5'],
    ['hmac-sha1', 'hmac-sha1'],
    ['hmac-sha224.', 'hmac-sha224'],
    ['HMAC-SHA256', 'hmac-sha256'],
    ['hmac-sha384', 'hmac-sha384'],
    ['hmac-sha512', 'hmac-sha512'],
    ['hmac-md5', undefined],
    ['hmac-sha256-128', undefined],
    ['gss-tsig', undefined],
  ] as ReadonlyArray<[string, TsigAlgorithm | undefined]>)('on the wire %s -> %s', (wire, algorithm) => {
    expect(algorithmFromWireName(wire)).toBe(algorithm);
    if (algorithm) expect(algorithmFromWireName(algorithmWireName(algorithm))).toBe(algorithm);
  });

  test.each([
    ['hmac-md5', 'hmac-md5'],
    ['HMAC-MD5.SIG-ALG.REG.INT', 'hmac-md5'],
    ['hmac-sha256.', 'hmac-sha256'],
    ['sha256', undefined],
  ] as ReadonlyArray<[string, TsigAlgorithm | undefined]>)('as written by people %s -> %s', (text, algorithm) => {
    expect(parseTsigAlgorithm(text)).toBe(algorithm);
  });
});
