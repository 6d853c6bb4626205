/**
 * Hostile input (DESIGN rule 13): a corpus of malformed packets over UDP and TCP, each with the
 * exact outcome, and the server still answers afterwards.
 */
import * as dnsPacket from 'dns-packet';
import { decodeQuery } from '../src/dns/wire-decode';
import { buildQuery, frame, header, optRecord, parseReply, TcpClient, udpExchange, udpQuery, wireName } from './support/dns-client';
import { type Harness, startDns } from './support/dns-server';
import { testDnssec } from './support/dnssec';

const FORMERR = 1;
const TXT_IN = Buffer.from([0, 16, 0, 1]);
const Q_A = Buffer.concat([wireName('a.auth.example.org'), TXT_IN]); // starts at offset 12
/** A resource record with the given owner bytes, type and RDATA. */
function rr(owner: Buffer, type: number, rdata: Buffer, klass = 1): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(klass, 2);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([owner, fixed, rdata]);
}
const ROOT = Buffer.from([0]);
const label = (n: number): Buffer => Buffer.concat([Buffer.from([n]), Buffer.alloc(n, 0x61)]);
const q = (...parts: Buffer[]): Buffer => Buffer.concat(parts);
const hdr = (qd: number, an: number, ns: number, ar: number, flags = 0): Buffer => header(0x4242, flags, [qd, an, ns, ar]);
const OPT = optRecord({ udpSize: 1232 });

type Outcome = 'drop' | { rcode: number; qdcount: number; opcode?: number; opt?: boolean };
const formerr: Outcome = { rcode: FORMERR, qdcount: 0 };
const afterQ = Q_A.length + 12; // offset just after the question

const corpus: Array<[string, Buffer, Outcome]> = [
  ['empty', Buffer.alloc(0), 'drop'],
  ...Array.from({ length: 11 }, (_, i): [string, Buffer, Outcome] => [`${i + 1} byte(s)`, Buffer.alloc(i + 1, 0x11), 'drop']),
  ['QR=1 (a response)', q(hdr(1, 0, 0, 0, 0x8000), Q_A), 'drop'],
  ['QR=1 with garbage after the header', q(hdr(9, 9, 9, 9, 0x8400), Buffer.from('garbage')), 'drop'],
  ['header only, QDCOUNT=1', hdr(1, 0, 0, 0), formerr],
  ['question cut in a label', q(hdr(1, 0, 0, 0), Buffer.from([5, 0x61, 0x62])), formerr],
  ['question without type and class', q(hdr(1, 0, 0, 0), wireName('a.auth.example.org')), formerr],
  ['question with half a class', q(hdr(1, 0, 0, 0), wireName('a.auth.example.org'), Buffer.from([0, 16, 0])), formerr],
  ['question name is a pointer to itself (loop)', q(hdr(1, 0, 0, 0), Buffer.from([0xc0, 12]), TXT_IN), formerr],
  ['question name points into the header', q(hdr(1, 0, 0, 0), Buffer.from([0xc0, 2]), TXT_IN), formerr],
  ['question name compressed (points to an earlier name)', q(hdr(2, 0, 0, 0), Q_A, Buffer.from([0xc0, 12]), TXT_IN), formerr],
  ['record owner points to itself (loop)', q(hdr(1, 0, 0, 1), Q_A, rr(Buffer.from([0xc0 | (afterQ >> 8), afterQ & 0xff]), 1, Buffer.alloc(4))), formerr],
  ['record owner: label then pointer back to its own start (loop)', q(hdr(1, 0, 0, 1), Q_A, rr(Buffer.from([1, 0x62, 0xc0, afterQ]), 1, Buffer.alloc(4))), formerr],
  ['forward pointer', q(hdr(1, 0, 0, 1), Q_A, rr(Buffer.from([0xc0, afterQ + 20]), 1, Buffer.alloc(4))), formerr],
  ['a valid backward pointer is fine (REFUSED: example.com is not ours)', q(hdr(1, 0, 0, 1), q(wireName('example.com'), TXT_IN), rr(Buffer.from([0xc0, 12]), 1, Buffer.alloc(4))), { rcode: 5, qdcount: 1 }],
  ['label of 64', q(hdr(1, 0, 0, 0), label(64), ROOT, TXT_IN), formerr],
  ['extended label type 0x80', q(hdr(1, 0, 0, 0), Buffer.from([0x81, 0x61, 0]), TXT_IN), formerr],
  ['name of 256 octets', q(hdr(1, 0, 0, 0), label(63), label(63), label(63), label(62), ROOT, TXT_IN), formerr],
  ['name of 255 octets is legal (REFUSED: not ours)', q(hdr(1, 0, 0, 0), label(63), label(63), label(63), label(61), ROOT, TXT_IN), { rcode: 5, qdcount: 1 }],
  ['QDCOUNT=2', q(hdr(2, 0, 0, 0), Q_A, Q_A), formerr],
  ['QDCOUNT=0', hdr(0, 0, 0, 0), formerr],
  ['QDCOUNT=0 with an OPT: FORMERR with our OPT (RFC 6891 §7)', q(hdr(0, 0, 0, 1), OPT), { ...formerr, opt: true }],
  ['ARCOUNT larger than the data', q(hdr(1, 0, 0, 5), Q_A, OPT), formerr],
  ['ANCOUNT=65535, no data', q(hdr(1, 65535, 0, 0), Q_A), formerr],
  ['RDLENGTH past the end', q(hdr(1, 0, 0, 1), Q_A, rr(ROOT, 1, Buffer.alloc(4)).subarray(0, 13)), formerr],
  ['record cut inside its fixed fields', q(hdr(1, 0, 0, 1), Q_A, ROOT, Buffer.from([0, 1, 0])), formerr],
  ['trailing bytes after the last record', q(hdr(1, 0, 0, 0), Q_A, Buffer.from([1, 2, 3])), formerr],
  ['bad OPT: option runs past RDLENGTH', q(hdr(1, 0, 0, 1), Q_A, rr(ROOT, 41, Buffer.from([0, 10, 0, 8, 1, 2]), 1232)), formerr],
  ['bad OPT: half an option header', q(hdr(1, 0, 0, 1), Q_A, rr(ROOT, 41, Buffer.from([0, 10]), 1232)), formerr],
  ['bad OPT: owner is not the root', q(hdr(1, 0, 0, 1), Q_A, rr(wireName('a'), 41, Buffer.alloc(0), 1232)), formerr],
  ['two OPTs', q(hdr(1, 0, 0, 2), Q_A, OPT, OPT), formerr],
  ['OPT in the answer section', q(hdr(1, 1, 0, 0), Q_A, OPT), formerr],
  ['OPT in the authority section', q(hdr(1, 0, 1, 0), Q_A, OPT), formerr],
  ['FORMERR keeps the opcode (NOTIFY, truncated)', q(hdr(1, 0, 0, 0, 4 << 11), Buffer.from([3])), { rcode: FORMERR, qdcount: 0, opcode: 4 }],
  ['a label holding a dot under the zone: a name that does not exist', q(hdr(1, 0, 0, 0), Buffer.from([3, 0x61, 0x2e, 0x62]), wireName('auth.example.org'), TXT_IN), { rcode: 3, qdcount: 1 }],
  ['non-UTF-8 bytes in a label outside the zone: REFUSED, echoed as sent', q(hdr(1, 0, 0, 0), Buffer.from([2, 0xff, 0xfe, 0]), TXT_IN), { rcode: 5, qdcount: 1 }],
  ['query with an answer record is still answered', q(hdr(1, 1, 0, 0), Q_A, rr(ROOT, 1, Buffer.alloc(4))), { rcode: 3, qdcount: 1 }],
];

const OPT_DO = optRecord({ udpSize: 1232, dnssecOk: true });
/** With DNSSEC on, DO queries whose names only a hostile client sends: signed, never SERVFAIL. */
const withDo: Array<[string, Buffer, Outcome]> = [
  ['DO: a label holding a dot under the zone: compact denial (NOERROR)', q(hdr(1, 0, 0, 1), Buffer.from([3, 0x61, 0x2e, 0x62]), wireName('auth.example.org'), TXT_IN, OPT_DO), { rcode: 0, qdcount: 1, opt: true }],
  ['DO: a space, NUL and 0xff in a label under the zone', q(hdr(1, 0, 0, 1), Buffer.from([4, 0x20, 0x00, 0xff, 0x41]), wireName('AUTH.example.org'), TXT_IN, OPT_DO), { rcode: 0, qdcount: 1, opt: true }],
  ['DO: a name of 255 octets under the zone', q(hdr(1, 0, 0, 1), label(63), label(63), label(63), label(44), wireName('auth.example.org'), TXT_IN, OPT_DO), { rcode: 0, qdcount: 1, opt: true }],
  ['DO: non-UTF-8 bytes outside the zone: REFUSED', q(hdr(1, 0, 0, 1), Buffer.from([2, 0xff, 0xfe, 0]), TXT_IN, OPT_DO), { rcode: 5, qdcount: 1, opt: true }],
  ['DO: type NXNAME: FORMERR with the question (RFC 9824 §3.5)', q(hdr(1, 0, 0, 1), Q_A.subarray(0, Q_A.length - 4), Buffer.from([0, 128, 0, 1]), OPT_DO), { rcode: FORMERR, qdcount: 1, opt: true }],
];

function check(outcome: Outcome, sent: Buffer, replies: Buffer[]): void {
  if (outcome === 'drop') {
    expect(replies).toEqual([]);
    return;
  }
  expect(replies).toHaveLength(1);
  const r = parseReply(replies[0] as Buffer);
  expect({ id: r.id, qr: r.qr, rcode: r.rcode, qdcount: r.qdcount, opcode: r.opcode }).toEqual({
    id: 0x4242,
    qr: true,
    rcode: outcome.rcode,
    qdcount: outcome.qdcount,
    opcode: outcome.opcode ?? 0,
  });
  // FORMERR says nothing it could not read: no question, and an OPT only for a readable one.
  if (outcome.rcode === FORMERR && outcome.qdcount === 0) expect((replies[0] as Buffer).length).toBe(outcome.opt ? 23 : 12);
  expect(r.opt !== undefined).toBe(outcome.opt ?? false);
  // An echoed question is the query's bytes.
  if (outcome.qdcount === 1) {
    const qEnd = (sent.indexOf(0, 12) as number) + 5;
    expect((replies[0] as Buffer).subarray(12, qEnd)).toEqual(sent.subarray(12, qEnd));
  }
}

/**
 * The whole corpus runs against the server as it is by default and with DNSSEC on (where the DO
 * queries below are signed: an odd name's compact denial must never fail to encode).
 */
describe.each([
  ['unsigned', false],
  ['DNSSEC on', true],
])('%s', (_name, signed) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startDns({ config: { tcpIdleTimeoutMs: 500 }, dnssec: signed ? testDnssec('auth.example.org').security : undefined });
  });
  afterAll(async () => {
    await h.stop();
  });
  afterEach(async () => {
    // Whatever came before, the server still answers a good query, and logged no failure.
    expect((await udpQuery(h.udp, { name: 'auth.example.org', type: 6 })).rcode).toBe(0);
    expect(h.logs.filter((l) => l.level >= 40)).toEqual([]);
  });

  describe('over UDP', () => {
    test.each(signed ? [...corpus, ...withDo] : corpus)('%s', async (_what, bytes, outcome) => {
      check(outcome, bytes, await udpExchange(h.udp, bytes));
    });
  });

  describe('over TCP', () => {
    test.each(signed ? [...corpus, ...withDo] : corpus)('%s', async (_what, bytes, outcome) => {
      const client = new TcpClient(h.tcp);
      client.write(frame(bytes));
      if (outcome === 'drop') {
        // Nothing to answer on a stream: the server closes the connection (an empty message is a
        // framing error, RFC 7766 §8).
        await client.waitClosed();
        check(outcome, bytes, client.replies);
      } else {
        check(outcome, bytes, await client.waitFor(1));
      }
      client.destroy();
    });

    test('a giant length prefix with little data: no answer, closed by the idle timeout', async () => {
      const client = new TcpClient(h.tcp);
      client.write(Buffer.concat([Buffer.from([0xff, 0xff]), buildQuery({ name: 'auth.example.org', type: 6 })]));
      await client.waitClosed();
      expect(client.replies).toEqual([]);
    });

    test('a message split after its length prefix is still read whole', async () => {
      const client = new TcpClient(h.tcp);
      const framed = frame(buildQuery({ id: 0x4242, name: 'a.auth.example.org' }));
      client.write(framed.subarray(0, 1));
      client.write(framed.subarray(1, 7));
      client.write(framed.subarray(7));
      check({ rcode: 3, qdcount: 1 }, framed.subarray(2), await client.waitFor(1));
      client.destroy();
    });
  });

  /** A small seeded PRNG (mulberry32), so the random corpus is the same on every run. */
  function prng(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  describe('random bytes (seeded)', () => {
    const next = prng(20261123);
    const byte = (): number => Math.floor(next() * 256);
    const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, byte));
    const packets = Array.from({ length: 600 }, (_, i) => {
      const kind = i % 3;
      if (kind === 0) return randomBytes(Math.floor(next() * 120)); // anything at all
      // A plausible header and question, then random records: reaches the later stages.
      const labels = Array.from({ length: 1 + Math.floor(next() * 4) }, () =>
        Array.from({ length: 1 + Math.floor(next() * 8) }, () => String.fromCharCode(97 + Math.floor(next() * 26))).join(''),
      );
      const where = next();
      const name = where < 0.1 ? 'AUTH.example.org' : where < 0.55 ? `${labels.join('.')}.auth.example.org` : labels.join('.');
      const opcode = next() < 0.8 ? 0 : Math.floor(next() * 16);
      const question = buildQuery({
        id: (byte() << 8) | byte(),
        name,
        type: next() < 0.5 ? 16 : Math.floor(next() * 65536),
        klass: next() < 0.9 ? 1 : Math.floor(next() * 65536),
        opcode,
      });
      const tail = kind === 1 ? randomBytes(Math.floor(next() * 40)) : optRecord({ udpSize: Math.floor(next() * 65536), version: next() < 0.8 ? 0 : byte(), dnssecOk: next() < 0.5 });
      const msg = Buffer.concat([question, tail]);
      msg.writeUInt16BE(kind === 1 ? Math.floor(next() * 3) : 1, 10); // ARCOUNT
      return msg;
    });

    test('each is dropped exactly when it has no header or is a response; every reply is well formed', async () => {
      // In small batches: a burst of hundreds of datagrams would overflow the socket buffers.
      const replies: Buffer[] = [];
      for (let i = 0; i < packets.length; i += 20) replies.push(...(await udpExchange(h.udp, ...packets.slice(i, i + 20))));
      const expected = packets.filter((p) => p.length >= 12 && (p.readUInt16BE(2) & 0x8000) === 0);
      expect(replies).toHaveLength(expected.length);
      const rcodes = new Set<number>();
      replies.forEach((raw, i) => {
        const r = parseReply(raw);
        rcodes.add(r.rcode);
        expect(r.id).toBe((expected[i] as Buffer).readUInt16BE(0));
        expect(r.qr).toBe(true);
      });
      // Every outcome but SERVFAIL (nothing may throw) shows up.
      expect([...rcodes].sort((a, b) => a - b)).toEqual([0, 1, 3, 4, 5, 16]);
    });
  });
});

describe('why wire-decode.ts does not use dns-packet.decode for queries', () => {
  // If a dns-packet column starts failing, dns-packet became stricter; our guard is still right.
  const ours = (bytes: Buffer): unknown => {
    const d = decodeQuery(bytes);
    return d.kind === 'query' ? d.query.question?.labels : d.kind;
  };
  const cases: Array<[string, Buffer, (d: dnsPacket.DecodedPacket) => unknown, unknown, unknown]> = [
    ['a label holding a dot', q(hdr(1, 0, 0, 0), Buffer.from([3, 0x61, 0x2e, 0x62]), ROOT, TXT_IN), (d) => d.questions?.[0]?.name, 'a.b', ['a.b']],
    ['two labels, for comparison', q(hdr(1, 0, 0, 0), wireName('a.b'), TXT_IN), (d) => d.questions?.[0]?.name, 'a.b', ['a', 'b']],
    ['non-UTF-8 bytes', q(hdr(1, 0, 0, 0), Buffer.from([2, 0xff, 0xfe, 0]), TXT_IN), (d) => d.questions?.[0]?.name, '\ufffd\ufffd', ['\xff\xfe']],
    ['an A record cut short (RDLENGTH 4, 2 bytes left)', q(hdr(1, 0, 0, 1), Q_A, rr(ROOT, 1, Buffer.from([1, 2, 3, 4])).subarray(0, 13)), (d) => (d.additionals?.[0] as { data?: unknown }).data, '1.2.undefined.undefined', 'formerr'],
    ['an option past the OPT RDLENGTH', q(hdr(1, 0, 0, 1), Q_A, rr(ROOT, 41, Buffer.from([0, 10, 0, 8]), 4096)), (d) => d.additionals?.length, 1, 'formerr'],
    ['an OPT owned by a non-root name', q(hdr(1, 0, 0, 1), Q_A, rr(wireName('a'), 41, Buffer.alloc(0), 4096)), (d) => d.additionals?.[0]?.type, 'OPT', 'formerr'],
    ['a pointer into the header', q(hdr(1, 0, 0, 0), Buffer.from([0xc0, 2]), TXT_IN), (d) => d.questions?.length, 1, 'formerr'],
    ['trailing bytes', q(hdr(1, 0, 0, 0), Q_A, Buffer.from([9, 9])), (d) => d.questions?.length, 1, 'formerr'],
  ];
  test.each(cases)('%s', (_what, bytes, probe, theirs, mine) => {
    expect(probe(dnsPacket.decode(bytes))).toEqual(theirs);
    expect(ours(bytes)).toEqual(mine);
  });
});
