/** The query decoder and TSIG (RFC 8945 §5.2): one TSIG, the last record, readable; else FORMERR. */
import { signRequest } from './tsig';
import { decodeQuery } from './wire-decode';

const KEY = { name: 'k.example', algorithm: 'hmac-sha256', secret: Buffer.alloc(32, 1) } as const;
const OPT = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);

/** A TXT query for example.org with `arcount` additional records `extra` (counts as given). */
function query(extra: Buffer[] = [], counts: [number, number, number] = [0, 0, extra.length]): Buffer {
  const head = Buffer.from([0xab, 0xcd, 0, 0, 0, 1, 0, counts[0], 0, counts[1], 0, counts[2]]);
  return Buffer.concat([head, Buffer.from('\x07example\x03org\x00\x00\x10\x00\x01', 'latin1'), ...extra]);
}

/** The TSIG RR signRequest appends to `msg`. */
const tsigRR = (msg: Buffer): Buffer => signRequest(msg, KEY, 1000).bytes.subarray(msg.length);

const SIGNED = signRequest(query(), KEY, 1000).bytes;

function formerr(msg: Buffer): string {
  const d = decodeQuery(msg);
  if (d.kind !== 'formerr') throw new Error(`expected FORMERR, got ${d.kind}`);
  return d.reason;
}

test('a signed query carries its TSIG record, unverified', () => {
  const d = decodeQuery(SIGNED);
  expect(d.kind).toBe('query');
  expect(d.kind === 'query' && d.query.tsig).toMatchObject({ start: 29, keyName: 'k.example', algorithm: 'hmac-sha256', timeSigned: 1000 });
});

test('after an OPT the TSIG is still last; an unsigned query has none', () => {
  const withOpt = signRequest(query([OPT]), KEY, 1000).bytes;
  const d = decodeQuery(withOpt);
  expect(d.kind === 'query' && d.query.tsig?.start).toBe(40);
  expect(d.kind === 'query' && d.query.edns?.udpSize).toBe(1232);
  const plain = decodeQuery(query());
  expect(plain.kind === 'query' && plain.query.tsig).toBeUndefined();
});

test.each([
  ['TSIG before the OPT', () => query([tsigRR(query()), OPT]), /TSIG not the last/],
  ['two TSIGs', () => query([tsigRR(query()), tsigRR(query())]), /TSIG not the last/],
  ['TSIG in the answer section', () => query([tsigRR(query())], [1, 0, 0]), /TSIG not the last/],
  ['TSIG in the authority section', () => query([tsigRR(query()), OPT], [0, 1, 1]), /TSIG not the last/],
  ['TSIG cut short (counts kept)', () => SIGNED.subarray(0, SIGNED.length - 1), /RDATA runs past/],
  ['TSIG with a bad RDLENGTH', () => {
    const m = Buffer.from(SIGNED);
    m.writeUInt16BE(m.readUInt16BE(48) - 1, 48);
    return m;
  }, /trailing bytes/],
  ['TSIG with a MAC size past its RDATA', () => {
    const m = Buffer.from(SIGNED);
    m.writeUInt16BE(200, 71);
    return m;
  }, /TSIG MAC runs past/],
])('%s: FORMERR', (_name, make, reason) => {
  expect(formerr(make())).toMatch(reason);
});

test('every cut of a signed query is FORMERR, never a throw', () => {
  for (let n = 12; n < SIGNED.length; n++) expect(decodeQuery(SIGNED.subarray(0, n)).kind).toBe('formerr');
});
