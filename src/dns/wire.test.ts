import type { Query, Response, ResourceRecord } from './packet';
import { Rcode } from './packet';
import { encodeResponse } from './wire';
import { decodeQuery } from './wire-decode';

/** A query built by hand: header, name labels as given, TXT IN, optional OPT. */
function query(labels: string[], opt?: Buffer): Buffer {
  const head = Buffer.from([0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, opt ? 1 : 0]);
  const name = Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0])]);
  return Buffer.concat([head, name, Buffer.from([0, 16, 0, 1]), ...(opt ? [opt] : [])]);
}

function decoded(bytes: Buffer): Query {
  const d = decodeQuery(bytes);
  if (d.kind !== 'query') throw new Error(`not a query: ${d.kind}`);
  return d.query;
}

const txt = (name: string, value: string): ResourceRecord => ({ name, ttl: 1, data: { type: 'TXT', strings: [Buffer.from(value)] } });

function response(q: Query, answer: ResourceRecord[], extra: Partial<Response> = {}): Response {
  return { header: q.header, rcode: 0, aa: true, questionBytes: q.questionBytes, answer, authority: [], edns: undefined, ...extra };
}

describe('decodeQuery', () => {
  test('header fields, labels as sent, question bytes, EDNS', () => {
    const opt = Buffer.from([0, 0, 41, 0x10, 0x00, 0, 0, 0x80, 0, 0, 0]);
    const q = decoded(query(['Sub', 'AUTH', 'example', 'org'], opt));
    expect(q.header).toEqual({ id: 0xabcd, opcode: 0, rd: true, cd: false });
    expect(q.question).toEqual({ labels: ['Sub', 'AUTH', 'example', 'org'], type: 16, class: 1 });
    expect(q.questionBytes?.toString('latin1')).toBe('\x03Sub\x04AUTH\x07example\x03org\x00\x00\x10\x00\x01');
    expect(q.edns).toEqual({ udpSize: 4096, version: 0, dnssecOk: true });
  });
});

describe('encodeResponse', () => {
  test('owner names equal to the question become a pointer to it: the exact spelling', () => {
    const q = decoded(query(['aBc', 'AUTH', 'example', 'org']));
    const bytes = encodeResponse(response(q, [txt('aBc.AUTH.example.org', 'v')]), 512);
    const afterQuestion = 12 + (q.questionBytes?.length ?? 0);
    expect([...bytes.subarray(afterQuestion, afterQuestion + 2)]).toEqual([0xc0, 12]);
  });

  test('a name sharing only a suffix: its own labels, then a pointer to the suffix', () => {
    const q = decoded(query(['x', 'auth', 'example', 'org']));
    const soa: ResourceRecord = {
      name: 'ns1.auth.example.org',
      ttl: 60,
      data: { type: 'A', address: '192.0.2.1' },
    };
    const bytes = encodeResponse(response(q, [soa]), 512);
    const at = 12 + (q.questionBytes?.length ?? 0);
    // "ns1" then a pointer to "auth" at 12 + 2 (after the 1-byte label "x").
    expect([...bytes.subarray(at, at + 6)]).toEqual([3, 0x6e, 0x73, 0x31, 0xc0, 14]);
  });

  test('names with nothing in common are written out', () => {
    const q = decoded(query(['a', 'example', 'com']));
    const bytes = encodeResponse(response(q, [txt('b.example.net', 'v')]), 512);
    const at = 12 + (q.questionBytes?.length ?? 0);
    expect(bytes.subarray(at, at + 15).toString('latin1')).toBe('\x01b\x07example\x03net\x00');
  });

  test('TC exactly above the limit: header, question and OPT only', () => {
    const q = decoded(query(['a', 'auth', 'example', 'org']));
    const res = response(q, [txt('a.auth.example.org', 'x'.repeat(100))], { edns: { dnssecOk: false } });
    const full = encodeResponse(res, 65535);
    expect(encodeResponse(res, full.length)).toEqual(full);
    const cut = encodeResponse(res, full.length - 1);
    expect(cut.readUInt16BE(2) & 0x0200).toBe(0x0200);
    expect([cut.readUInt16BE(4), cut.readUInt16BE(6), cut.readUInt16BE(8), cut.readUInt16BE(10)]).toEqual([1, 0, 0, 1]);
    expect(cut.length).toBe(12 + (q.questionBytes?.length ?? 0) + 11);
  });

  test('BADVERS: upper RCODE bits in the OPT, lower in the header', () => {
    const q = decoded(query(['a']));
    const bytes = encodeResponse({ ...response(q, []), aa: false, rcode: Rcode.BADVERS, edns: { dnssecOk: true } }, 512);
    expect(bytes.readUInt16BE(2) & 0xf).toBe(0);
    const opt = bytes.subarray(bytes.length - 11);
    expect([...opt]).toEqual([0, 0, 41, 0x04, 0xd0, 1, 0, 0x80, 0, 0, 0]);
  });

  test('an RCODE above 15 without EDNS cannot be sent', () => {
    const q = decoded(query(['a']));
    expect(() => encodeResponse({ ...response(q, []), rcode: Rcode.BADVERS }, 512)).toThrow(/needs EDNS/);
  });
});
