/**
 * Our TSIG against an independent implementation: the vectors of test/fixtures/tsig/vectors.json
 * were made by dnspython (make-vectors.py beside them says how), for every algorithm.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TsigAlgorithm } from '../../store/types';
import type { TsigKey } from './index';
import { findTsig, verifyRequest } from './index';

interface Signed {
  readonly unsigned: string;
  readonly signed: string;
  readonly mac: string;
  readonly time: number;
}

interface Vector {
  readonly algorithm: TsigAlgorithm;
  readonly keyName: string;
  readonly secret: string;
  readonly request: Signed;
  readonly response: Signed;
  readonly stream: readonly Signed[];
  /** The server's NOTAUTH answer when it reads the request at `time` (past the fudge). */
  readonly badtime: Signed;
}

const vectors = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/tsig/vectors.json'), 'utf8')) as Vector[];
const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const keyOf = (v: Vector): TsigKey => ({ name: v.keyName, algorithm: v.algorithm, secret: hex(v.secret) });

function tsigOf(msg: Buffer): NonNullable<ReturnType<typeof findTsig>> {
  const record = findTsig(msg);
  if (!record) throw new Error('no TSIG');
  return record;
}

function verified(v: Vector): ReturnType<typeof verifyRequest> {
  const request = hex(v.request.signed);
  return verifyRequest(request, tsigOf(request), keyOf(v), v.request.time);
}

test('the vectors cover all six algorithms', () => {
  expect(vectors.map((v) => v.algorithm).sort()).toEqual(['hmac-md5', 'hmac-sha1', 'hmac-sha224', 'hmac-sha256', 'hmac-sha384', 'hmac-sha512']);
});

describe.each(vectors.map((v) => [v.algorithm, v] as const))('%s', (_name, v) => {
  test("dnspython's signed request verifies", () => {
    const verdict = verified(v);
    expect(verdict.ok).toBe(true);
    expect(verdict.ok && verdict.key.name).toBe(v.keyName);
  });

  test('the request read from the wire', () => {
    const record = tsigOf(hex(v.request.signed));
    expect(record).toMatchObject({ keyName: v.keyName, timeSigned: v.request.time, fudge: 300, originalId: 0x1234, error: 0 });
    expect(record.mac.toString('hex')).toBe(v.request.mac);
  });

  test('our answer carries the MAC dnspython computes', () => {
    const signer = verified(v).signer;
    const out = signer.sign(hex(v.response.unsigned), v.response.time);
    expect(tsigOf(out).mac.toString('hex')).toBe(v.response.mac);
    // `overhead` is the exact size of what sign() appends.
    expect(out.length - hex(v.response.unsigned).length).toBe(signer.overhead);
    // Same bytes, up to the case of the algorithm name (dnspython writes HMAC-MD5.SIG-ALG.REG.INT).
    expect(out.toString('latin1').toLowerCase()).toBe(hex(v.response.signed).toString('latin1').toLowerCase());
  });

  test('a 3-message stream carries the MACs dnspython computes (RFC 8945 §5.3.1)', () => {
    const signer = verified(v).signer;
    const macs = v.stream.map((m) => tsigOf(signer.sign(hex(m.unsigned), m.time)).mac.toString('hex'));
    expect(macs).toEqual(v.stream.map((m) => m.mac));
  });

  test("BADTIME: signed as dnspython signs it, the request's time kept, ours in Other Data (RFC 8945 §5.2.3)", () => {
    const request = hex(v.request.signed);
    const verdict = verifyRequest(request, tsigOf(request), keyOf(v), v.badtime.time);
    expect(verdict).toMatchObject({ ok: false, error: 18 });
    const out = verdict.signer.sign(hex(v.badtime.unsigned), v.badtime.time);
    expect(out.length - hex(v.badtime.unsigned).length).toBe(verdict.signer.overhead);
    expect(out.toString('latin1').toLowerCase()).toBe(hex(v.badtime.signed).toString('latin1').toLowerCase());
  });
});
