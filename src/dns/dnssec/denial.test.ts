/** Compact denial (RFC 9824): the NSEC at the question's name, its next name and its types. */
import type { Answer } from '../answer';
import { presentName } from '../names';
import type { Question, ResourceRecord } from '../packet';
import { Rcode, RRType } from '../packet';
import { parseZone } from '../zone';
import { applyDenial, nextName } from './denial';

const zone = parseZone({ domain: 'auth.example.org', nsname: 'ns1.auth.example.org', nsadmin: 'admin.example.org', records: [], negativeTtl: 60, txtTtl: 1, staticTtl: 3600 }, 2026112311);
const soa = zone.negativeSoa;
const { RRSIG, NSEC, NXNAME, TXT, SOA, NS, DNSKEY } = RRType;

const q = (labels: string[], type: number): Question => ({ labels, type, class: 1 });
const nxdomain: Answer = { rcode: Rcode.NXDOMAIN, aa: true, answer: [], authority: [soa], denial: { kind: 'nxdomain' } };
const nodata = (...types: number[]): Answer => ({ rcode: Rcode.NOERROR, aa: true, answer: [], authority: [soa], denial: { kind: 'nodata', types } });
const text = (next: readonly Buffer[]): string => next.map((l) => l.toString('latin1')).join('|');

describe('applyDenial', () => {
  test('NXDOMAIN becomes NOERROR with the SOA and an NSEC listing RRSIG, NSEC and NXNAME', () => {
    const labels = ['NoBody', 'AUTH', 'example', 'org'];
    const out = applyDenial(nxdomain, q(labels, RRType.A), zone);
    expect(out.rcode).toBe(Rcode.NOERROR);
    expect(out.answer).toEqual([]);
    expect(out.denial).toBeUndefined();
    const [first, nsec] = out.authority as [ResourceRecord, ResourceRecord];
    expect(first).toBe(soa);
    // Owner as asked (0x20); next name \000.<qname> in lower case; TTL the negative SOA's (RFC 9077).
    expect(nsec.name).toBe('NoBody.AUTH.example.org');
    expect(nsec.ttl).toBe(60);
    expect(nsec.data).toEqual({ type: 'NSEC', next: [Buffer.from([0]), ...['nobody', 'auth', 'example', 'org'].map((l) => Buffer.from(l))], types: [NXNAME, RRSIG, NSEC] });
  });

  test('NODATA lists the types at the name plus RRSIG and NSEC', () => {
    const out = applyDenial(nodata(SOA, NS, DNSKEY), q(['auth', 'example', 'org'], TXT), zone);
    expect(out.rcode).toBe(Rcode.NOERROR);
    expect(out.authority.map((rr) => rr.data)).toEqual([soa.data, { type: 'NSEC', next: [Buffer.from([0]), Buffer.from('auth'), Buffer.from('example'), Buffer.from('org')], types: [SOA, NS, DNSKEY, RRSIG, NSEC] }]);
  });

  test('an empty non-terminal: RRSIG and NSEC only', () => {
    const out = applyDenial(nodata(), q(['ent', 'auth', 'example', 'org'], TXT), zone);
    expect(out.authority[1]?.data).toMatchObject({ types: [RRSIG, NSEC] });
  });

  test('a question for type NSEC gets the NSEC as its answer, no SOA', () => {
    for (const a of [nxdomain, nodata(TXT)]) {
      const out = applyDenial(a, q(['X', 'auth', 'example', 'org'], NSEC), zone);
      expect({ rcode: out.rcode, answer: out.answer.map((rr) => `${rr.name} ${rr.data.type}`), authority: out.authority }).toEqual({ rcode: 0, answer: ['X.auth.example.org NSEC'], authority: [] });
    }
  });

  test('answers without a denial are returned as they are', () => {
    const positive: Answer = { rcode: Rcode.NOERROR, aa: true, answer: [soa], authority: [] };
    expect(applyDenial(positive, q(['auth', 'example', 'org'], SOA), zone)).toBe(positive);
  });

  test('odd bytes in the question (a dot, a space, 0xff) are kept: the owner escaped, the next name as bytes', () => {
    const labels = ['a.b', 'c d', '\xff\x00', 'auth', 'example', 'org'];
    const nsec = applyDenial(nxdomain, q(labels, TXT), zone).authority[1] as ResourceRecord;
    expect(nsec.name).toBe(presentName(labels));
    expect(nsec.name).toBe('a\\.b.c\\032d.\\255\\000.auth.example.org');
    expect(text((nsec.data as { readonly next: readonly Buffer[] }).next)).toBe('\x00|a.b|c d|\xff\x00|auth|example|org');
  });
});

/** A name of `octets` on the wire, under auth.example.org: labels of 63 (or less), first label made of `fill`. */
function longName(octets: number, first = 63, fill = 'a'): string[] {
  const apex = ['auth', 'example', 'org'];
  let left = octets - 18;
  const labels = [fill.repeat(first)];
  left -= first + 1;
  while (left > 0) {
    const n = Math.min(63, left - 1);
    labels.push('b'.repeat(n));
    left -= n + 1;
  }
  return [...labels, ...apex];
}
const wireLength = (labels: readonly (string | Buffer)[]): number => labels.reduce((n: number, l) => n + 1 + l.length, 1);

describe('nextName: the successor of a name (RFC 4471 §3.1.2 when \\000 does not fit)', () => {
  test('short names: \\000 prepended, lower-cased', () => {
    expect(text(nextName(['X', 'Auth', 'EXAMPLE', 'org']))).toBe('\x00|x|auth|example|org');
    expect(text(nextName([]))).toBe('\x00');
  });

  test('253 octets is the longest name that takes a \\000 label', () => {
    const labels = longName(253);
    expect(wireLength(labels)).toBe(253);
    expect(wireLength(nextName(labels))).toBe(255);
  });

  test.each<[string, string[], string]>([
    // 254 octets, first label 62: it takes a zero octet.
    ['first label shorter than 63: a zero octet appended', longName(254, 62), `${'a'.repeat(62)}\x00`],
    // 255 octets with a first label of 63: its last octet incremented.
    ['a full first label: its last octet incremented', longName(255, 63), `${'a'.repeat(62)}b`],
    ['@ steps over A-Z to [', longName(255, 63, '@'), `${'@'.repeat(62)}[`],
    ['trailing 0xff octets dropped', [...longName(255, 63).slice(0, 1).map(() => `a${'\xff'.repeat(62)}`), ...longName(255, 63).slice(1)], 'b'],
  ])('%s', (_what, labels, first) => {
    const next = nextName(labels);
    expect((next[0] as Buffer).toString('latin1')).toBe(first);
    expect(next.slice(1).map((l) => l.toString('latin1'))).toEqual(labels.slice(1).map((l) => l.toLowerCase()));
    expect(wireLength(next)).toBeLessThanOrEqual(255);
  });

  test('a first label of all 0xff is dropped and the next one takes the step', () => {
    const labels = longName(255, 63);
    labels[0] = '\xff'.repeat(63);
    const next = nextName(labels);
    expect(next.length).toBe(labels.length - 1);
    // The second label is full too (63): its last octet incremented.
    expect((next[0] as Buffer).toString('latin1')).toBe(`${'b'.repeat(62)}c`);
  });

  test('every successor sorts after the name (canonical order, RFC 4034 §6.1) and fits', () => {
    const canonical = (labels: readonly (string | Buffer)[]): Buffer[] => [...labels].reverse().map((l) => Buffer.from(Buffer.isBuffer(l) ? l : Buffer.from(l.toLowerCase(), 'latin1')));
    const after = (a: Buffer[], b: Buffer[]): boolean => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const c = Buffer.compare(a[i] as Buffer, b[i] as Buffer);
        if (c !== 0) return c > 0;
      }
      return a.length > b.length;
    };
    for (const labels of [longName(200), longName(253), longName(254, 62), longName(255), longName(255, 63, '@'), longName(255, 63, 'Z')]) {
      const next = nextName(labels);
      expect(after(canonical(next), canonical(labels))).toBe(true);
      expect(wireLength(next)).toBeLessThanOrEqual(255);
    }
  });
});
