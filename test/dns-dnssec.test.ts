/**
 * Online signing over real sockets: the in-process server with DNSSEC on, queried over UDP and
 * TCP on 127.0.0.1, every reply validated whole by dnspython (the oracle parses the bytes as they
 * came) and by delv (BIND's validator, with our key as trust anchor), the way a resolver would.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { NameData } from '../src/core/types';
import { buildQuery, frame, header, optRecord, parseReply, type QuerySpec, sendUdp, TcpClient } from './support/dns-client';
import { type Harness, SAMPLE_SUB, SAMPLE_VALUES, startDns } from './support/dns-server';
import { testDnssec, validateReplies, type OracleReply, type OracleRRset } from './support/dnssec';

const run = promisify(execFile);

const APEX = 'auth.example.org';
const NOW = Math.floor(Date.now() / 1000);
const dnssec = testDnssec(APEX);
/** Values long enough that a few dozen do not fit 512 octets (TC over UDP, whole over TCP). */
const MANY = Array.from({ length: 24 }, (_, i) => `${String(i).padStart(2, '0')}-${'x'.repeat(41)}`);

let h: Harness;
beforeAll(async () => {
  h = await startDns({
    config: {
      records: [
        `${APEX}. A 198.51.100.1`,
        `${APEX}. NS ${APEX}.`,
        `www.${APEX}. CNAME target.example.net.`,
        `deep.ent.${APEX}. A 198.51.100.9`,
      ],
    },
    accounts: new Map<string, NameData>([
      [SAMPLE_SUB, { values: SAMPLE_VALUES }],
      ['one', { values: ['only-value'] }],
      ['empty', { values: [] }],
      ['many', { values: MANY }],
    ]),
    now: () => NOW,
    dnssec: dnssec.security,
  });
});
afterAll(async () => {
  await h.stop();
});
afterEach(() => {
  expect(h.logs.filter((l) => l.level >= 40)).toEqual([]);
});

const DO = { udpSize: 1232, dnssecOk: true };

async function udp(spec: QuerySpec): Promise<Buffer> {
  const raw = await sendUdp(h.udp, buildQuery(spec));
  if (!raw) throw new Error(`no reply for ${spec.name}`);
  return raw;
}

async function tcp(spec: QuerySpec | Buffer): Promise<Buffer> {
  const client = new TcpClient(h.tcp);
  client.write(frame(Buffer.isBuffer(spec) ? spec : buildQuery(spec)));
  const [reply] = await client.waitFor(1);
  client.destroy();
  if (!reply) throw new Error('no TCP reply');
  return reply;
}

/** `name TYPE` of each RRset of a section, with every RRset valid and signed at its own owner and TTL. */
function signedSection(section: readonly OracleRRset[]): string[] {
  for (const set of section) {
    expect({ set: `${set.name} ${set.type}`, valid: set.valid, rrsigNames: set.rrsigNames, rrsigTtls: set.rrsigTtls }).toEqual({
      set: `${set.name} ${set.type}`,
      valid: true,
      rrsigNames: [set.name],
      rrsigTtls: [set.ttl],
    });
  }
  return section.map((s) => `${s.name} ${s.type}`);
}

/** The oracle's view of one reply, every RRset checked: rcode, and `name TYPE` per section. */
async function validated(raw: Buffer): Promise<{ reply: OracleReply; rcode: string; answer: string[]; authority: string[] }> {
  const [reply] = await validateReplies(APEX, dnssec.keys, NOW, [raw]);
  if (!reply) throw new Error('no oracle result');
  return { reply, rcode: reply.rcode, answer: signedSection(reply.sections.answer), authority: signedSection(reply.sections.authority) };
}

const nsecOf = (reply: OracleReply): string | undefined => [...reply.sections.answer, ...reply.sections.authority].find((s) => s.type === 'NSEC')?.rdatas.join();

describe('signed answers validate whole (dnspython over the reply bytes)', () => {
  test.each<[string, QuerySpec, string, string[], string[], string | undefined]>([
    ['TXT, one value', { name: `one.${APEX}`, type: 'TXT' }, 'NOERROR', [`one.${APEX}. TXT`], [], undefined],
    ['TXT, several values', { name: `${SAMPLE_SUB}.${APEX}`, type: 'TXT' }, 'NOERROR', [`${SAMPLE_SUB}.${APEX}. TXT`], [], undefined],
    ['TXT, 0x20 question: owners as asked', { name: `${SAMPLE_SUB.toUpperCase()}.AuTh.ExAmPlE.oRg`, type: 'TXT' }, 'NOERROR', [`${SAMPLE_SUB.toUpperCase()}.AuTh.ExAmPlE.oRg. TXT`], [], undefined],
    ['NODATA at an account with values', { name: `${SAMPLE_SUB}.${APEX}`, type: 'A' }, 'NOERROR', [], [`${APEX}. SOA`, `${SAMPLE_SUB}.${APEX}. NSEC`],
      `\\000.${SAMPLE_SUB}.${APEX}. TXT RRSIG NSEC`],
    ['NODATA at an account without values', { name: `empty.${APEX}`, type: 'TXT' }, 'NOERROR', [], [`${APEX}. SOA`, `empty.${APEX}. NSEC`], `\\000.empty.${APEX}. RRSIG NSEC`],
    ['NODATA at an empty non-terminal', { name: `ent.${APEX}`, type: 'A' }, 'NOERROR', [], [`${APEX}. SOA`, `ent.${APEX}. NSEC`], `\\000.ent.${APEX}. RRSIG NSEC`],
    ['compact NXDOMAIN: NOERROR, NSEC with NXNAME', { name: `nobody.${APEX}`, type: 'TXT' }, 'NOERROR', [], [`${APEX}. SOA`, `nobody.${APEX}. NSEC`], `\\000.nobody.${APEX}. RRSIG NSEC TYPE128`],
    ['compact NXDOMAIN, 0x20', { name: `NoBody.AUTH.example.ORG`, type: 'A' }, 'NOERROR', [], ['AUTH.example.ORG. SOA', 'NoBody.AUTH.example.ORG. NSEC'], `\\000.nobody.${APEX}. RRSIG NSEC TYPE128`],
    ['NSEC question: the NSEC is the answer', { name: `nobody.${APEX}`, type: 47 }, 'NOERROR', [`nobody.${APEX}. NSEC`], [], `\\000.nobody.${APEX}. RRSIG NSEC TYPE128`],
    ['apex SOA', { name: APEX, type: 'SOA' }, 'NOERROR', [`${APEX}. SOA`], [], undefined],
    ['apex NS', { name: APEX, type: 'NS' }, 'NOERROR', [`${APEX}. NS`], [], undefined],
    ['apex DNSKEY', { name: APEX, type: 48 }, 'NOERROR', [`${APEX}. DNSKEY`], [], undefined],
    ['apex DNSKEY, 0x20', { name: 'aUTh.example.org', type: 48 }, 'NOERROR', ['aUTh.example.org. DNSKEY'], [], undefined],
    ['apex NODATA lists SOA NS DNSKEY', { name: APEX, type: 'TXT' }, 'NOERROR', [], [`${APEX}. SOA`, `${APEX}. NSEC`], `\\000.${APEX}. A NS SOA RRSIG NSEC DNSKEY`],
    ['static CNAME: the CNAME signed', { name: `www.${APEX}`, type: 'A' }, 'NOERROR', [`www.${APEX}. CNAME`], [], undefined],
  ])('%s', async (_what, spec, rcode, answer, authority, nsec) => {
    for (const raw of [await udp({ ...spec, edns: DO }), await tcp({ ...spec, edns: DO })]) {
      const got = await validated(raw);
      expect({ rcode: got.rcode, aa: got.reply.flags.includes('AA'), answer: got.answer, authority: got.authority, nsec: nsecOf(got.reply) }).toEqual({ rcode, aa: true, answer, authority, nsec });
    }
  });

  test('the DNSKEY RRset is served without DO too (zone data), unsigned', async () => {
    const r = parseReply(await udp({ name: APEX, type: 48, edns: { udpSize: 1232 } }));
    expect((r.packet.answers ?? []).map((a) => a.type)).toEqual(['DNSKEY']);
  });

  test('a signed answer larger than the UDP size comes back TC=1, and whole over TCP', async () => {
    const spec: QuerySpec = { name: `many.${APEX}`, type: 'TXT', edns: { udpSize: 512, dnssecOk: true } };
    const small = parseReply(await udp(spec));
    expect({ tc: small.tc, answers: small.packet.answers?.length ?? 0, rcode: small.rcode }).toEqual({ tc: true, answers: 0, rcode: 0 });
    const whole = await tcp(spec);
    expect(parseReply(whole).tc).toBe(false);
    const got = await validated(whole);
    expect(got.answer).toEqual([`many.${APEX}. TXT`]);
    expect(got.reply.sections.answer[0]?.rdatas).toHaveLength(MANY.length);
  });
});

describe('delv (BIND 9) validates with our key as the trust anchor', () => {
  let dir: string;
  let anchors: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'acmedns-delv-'));
    anchors = path.join(dir, 'anchors.conf');
    const keys = dnssec.keys.map((k) => `  ${APEX}. static-key 257 3 ${k.algorithm} "${k.dnskey.publicKey.toString('base64')}";`);
    writeFileSync(anchors, `trust-anchors {\n${keys.join('\n')}\n};\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** delv's output for one question at our server (it asks with DO, and fetches the DNSKEY itself). */
  async function delv(name: string, type: string, ...extra: string[]): Promise<string> {
    const args = ['@' + h.udp.address, '-p', String(h.udp.port), '-a', anchors, `+root=${APEX}`, ...extra, name, type];
    try {
      const { stdout, stderr } = await run('delv', args, { timeout: 30_000 });
      return stdout + stderr;
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      return `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
  }

  test.each<[string, string, string, RegExp]>([
    ['TXT, one value', `one.${APEX}`, 'TXT', /; fully validated\n.*one\.auth\.example\.org\.\s+\d+\s+IN\s+TXT\s+"only-value"/],
    ['TXT, several values', `${SAMPLE_SUB}.${APEX}`, 'TXT', /; fully validated\n(.*\n)*.*TXT\s+"ZJtj/],
    ['TXT, 0x20', `${SAMPLE_SUB.toUpperCase()}.AuTh.example.org`, 'TXT', /; fully validated\n/],
    ['NODATA', `${SAMPLE_SUB}.${APEX}`, 'A', /; negative response, fully validated\n/],
    ['NODATA at an empty non-terminal', `ent.${APEX}`, 'A', /; negative response, fully validated\n/],
    ['compact NXDOMAIN', `nobody.${APEX}`, 'TXT', /; negative response, fully validated\n/],
    ['compact NXDOMAIN, 0x20', `NoBody.AUTH.example.org`, 'A', /; negative response, fully validated\n/],
    ['apex SOA', APEX, 'SOA', /; fully validated\n.*SOA/],
    ['apex NS', APEX, 'NS', /; fully validated\n.*NS/],
    ['apex DNSKEY', APEX, 'DNSKEY', /; fully validated\n.*DNSKEY\s+257 3 13/],
    ['a label holding a dot', `a\\.b.${APEX}`, 'TXT', /; negative response, fully validated\n/],
    ['a literal * label', `*.${APEX}`, 'TXT', /; negative response, fully validated\n/],
  ])('%s', async (_what, name, type, expected) => {
    expect(await delv(name, type)).toMatch(expected);
  });

  test('the check can fail: with another key as anchor delv refuses the answer', async () => {
    const other = testDnssec(APEX);
    const wrong = path.join(dir, 'wrong.conf');
    writeFileSync(wrong, `trust-anchors {\n  ${APEX}. static-key 257 3 13 "${(other.keys[0] as { dnskey: { publicKey: Buffer } }).dnskey.publicKey.toString('base64')}";\n};\n`);
    const out = await run('delv', ['@' + h.udp.address, '-p', String(h.udp.port), '-a', wrong, `+root=${APEX}`, `one.${APEX}`, 'TXT'], { timeout: 30_000 }).then(
      (r) => r.stdout + r.stderr,
      (err: { stdout?: string; stderr?: string }) => `${err.stdout ?? ''}${err.stderr ?? ''}`,
    );
    expect(out).not.toMatch(/fully validated/);
    expect(out).toMatch(/resolution failed|no valid|broken trust chain|insecurity proof failed/);
  });
});

/** A DO query for a name given as wire labels (latin1), which a presentation name could not spell. */
function rawQuery(labels: readonly string[], type: number): Buffer {
  const name = Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0])]);
  const tail = Buffer.from([type >> 8, type & 0xff, 0, 1]);
  return Buffer.concat([header(0x5151, 0, [1, 0, 0, 1]), name, tail, optRecord(DO)]);
}

/** Under the apex, labels of 63 until the name has `octets` on the wire (at most 255). */
function longName(octets: number, first: string): string[] {
  const labels = [first];
  let size = 1 + first.length + 18;
  while (size < octets) {
    const n = Math.min(63, octets - size - 1);
    labels.push('Q'.repeat(n));
    size += n + 1;
  }
  return [...labels, 'auth', 'example', 'org'];
}

describe('odd question names with DO: never SERVFAIL, the denial at the bytes asked, every RRset valid', () => {
  test.each<[string, string[]]>([
    ['a label holding a dot', ['a.b', 'auth', 'example', 'org']],
    ['a space and a backslash', ['c d', 'e\\f', 'auth', 'example', 'org']],
    ['NUL and 0xff bytes, mixed case', ['\x00\xffX', 'AUTH', 'example', 'org']],
    ['a literal * label (not a wildcard of ours)', ['*', 'auth', 'example', 'org']],
    ['253 octets: \\000 still fits', longName(253, 'a')],
    ['255 octets: the successor without a \\000 label', longName(255, 'Zz'.repeat(31) + 'z')],
    ['255 octets, a full first label of 0xff', longName(255, '\xff'.repeat(63))],
  ])('%s', async (_what, labels) => {
    const query = rawQuery(labels, 16);
    const udpReply = await sendUdp(h.udp, query);
    for (const raw of [udpReply as Buffer, await tcp(query)]) {
      expect(raw).toBeDefined();
      expect(raw.subarray(12, query.length - 11)).toEqual(query.subarray(12, query.length - 11));
      const got = await validated(raw);
      expect({ rcode: got.rcode, answer: got.answer, types: got.authority.map((a) => a.split(' ')[1]) }).toEqual({ rcode: 'NOERROR', answer: [], types: ['SOA', 'NSEC'] });
      // The NSEC's owner is the question, byte for byte (dnspython prints both the same way).
      expect(got.reply.sections.authority[1]?.name).toBe((got.reply.question ?? '').split(' ')[0]);
      expect(nsecOf(got.reply)).toMatch(/ RRSIG NSEC TYPE128$/);
    }
  });
});
