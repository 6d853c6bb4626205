/**
 * What answer() says a negative answer must deny (Answer.denial, for DNSSEC's NSEC): nothing
 * outside the zone or on refusals; NXDOMAIN; or NODATA with exactly the types present at the name.
 * And the apex DNSKEY RRset, served when DNSSEC is on (zone data, with or without DO).
 */
import type { NameData } from '../core/types';
import type { Answer } from './answer';
import { accountLabel, answer, challengeName, ownNamesBelow } from './answer';
import type { Question } from './packet';
import { Rcode, RRType } from './packet';
import type { RRset } from './zone';
import { parseZone } from './zone';

const OWN = '_acme-challenge.api.example.test.auth.example.org';
const zone = parseZone(
  {
    domain: 'auth.example.org',
    nsname: 'ns1.auth.example.org',
    nsadmin: 'admin.example.org',
    records: [
      'auth.example.org. A 198.51.100.1',
      'ns1.example.org. A 198.51.100.2',
      'www.auth.example.org. CNAME target.example.net.',
      'deep.ent.auth.example.org. TXT "static"',
      'mail.auth.example.org. MX 10 mx.example.org.',
      'mail.auth.example.org. A 198.51.100.3',
      'static.auth.example.org. TXT "static one"',
    ],
    negativeTtl: 60,
    txtTtl: 1,
    staticTtl: 3600,
  },
  2026112311,
  [OWN],
);

const accounts = new Map<string, NameData>([
  ['acct', { values: ['v1', 'v2'] }],
  ['empty', { values: [] }],
  ['blank', { values: [''] }],
]);
const own = new Map<string, readonly string[]>([[OWN, ['own-value']]]);
const DNSKEYS: RRset = { type: RRType.DNSKEY, ttl: 3600, data: [{ type: 'DNSKEY', flags: 257, algorithm: 13, publicKey: Buffer.alloc(64, 7) }] };

/** The handler's steps, then answer() with or without the DNSKEY RRset. */
function run(name: string, type: number, dnssec = true): Answer {
  const question: Question = { labels: name.split('.'), type, class: 1 };
  const label = accountLabel(question, zone);
  const account = label === undefined ? undefined : accounts.get(label);
  const ownName = challengeName(question, zone);
  const values = ownName === undefined ? [] : (own.get(ownName) ?? []);
  const below = ownNamesBelow(question, zone, account !== undefined || values.length > 0);
  return answer(question, zone, account, values, below.some((n) => (own.get(n) ?? []).length > 0), dnssec ? DNSKEYS : undefined);
}

const { A, NS, SOA, MX, TXT, AAAA, CNAME, DNSKEY, NSEC, DS, ANY } = RRType;
const nodata = (...types: number[]): unknown => ({ kind: 'nodata', types });
const NX = { kind: 'nxdomain' };

describe('answer().denial', () => {
  test.each<[string, string, number, number, unknown]>([
    ['unknown name', 'nobody.auth.example.org', TXT, Rcode.NXDOMAIN, NX],
    ['below an account', 'x.acct.auth.example.org', TXT, Rcode.NXDOMAIN, NX],
    ['0x20 unknown name', 'NoBody.AUTH.example.org', A, Rcode.NXDOMAIN, NX],
    ['account with values, A: TXT exists', 'acct.auth.example.org', A, Rcode.NOERROR, nodata(TXT)],
    ['account without values: nothing there', 'empty.auth.example.org', TXT, Rcode.NOERROR, nodata()],
    ['account with empty slots only: nothing there', 'blank.auth.example.org', TXT, Rcode.NOERROR, nodata()],
    ['account without values, ANY', 'empty.auth.example.org', ANY, Rcode.NOERROR, nodata()],
    ['static name, missing type', 'mail.auth.example.org', AAAA, Rcode.NOERROR, nodata(MX, A)],
    ['static TXT, missing type', 'static.auth.example.org', A, Rcode.NOERROR, nodata(TXT)],
    ['static empty non-terminal', 'ent.auth.example.org', TXT, Rcode.NOERROR, nodata()],
    ['empty non-terminal above own values', 'api.example.test.auth.example.org', A, Rcode.NOERROR, nodata()],
    ['own challenge name, A: its TXT', OWN, A, Rcode.NOERROR, nodata(TXT)],
    ['apex TXT: SOA, NS, the static A and DNSKEY', 'auth.example.org', TXT, Rcode.NOERROR, nodata(SOA, NS, A, DNSKEY)],
    ['apex DS: the parent holds it (RFC 4035 §3.1.4.1)', 'auth.example.org', DS, Rcode.NOERROR, nodata(SOA, NS, A, DNSKEY)],
    ['apex NSEC (no NSEC RRset of ours is stored)', 'AUTH.example.org', NSEC, Rcode.NOERROR, nodata(SOA, NS, A, DNSKEY)],
    ['NSEC at an account', 'acct.auth.example.org', NSEC, Rcode.NOERROR, nodata(TXT)],
  ])('%s: %s type %d', (_what, name, type, rcode, denial) => {
    const a = run(name, type);
    expect({ rcode: a.rcode, answers: a.answer.length, denial: a.denial }).toEqual({ rcode, answers: 0, denial });
  });

  test.each<[string, string, number]>([
    ['positive TXT', 'acct.auth.example.org', TXT],
    ['CNAME', 'www.auth.example.org', A],
    ['apex SOA', 'auth.example.org', SOA],
    ['outside the zone: REFUSED', 'example.com', A],
    ['out-of-zone static owner, missing type: NODATA without our SOA', 'ns1.example.org', AAAA],
    ['out-of-zone static owner', 'ns1.example.org', A],
    ['AXFR', 'auth.example.org', RRType.AXFR],
  ])('no denial: %s', (_what, name, type) => {
    expect(run(name, type).denial).toBeUndefined();
  });

  test('without DNSSEC the apex lists no DNSKEY', () => {
    expect(run('auth.example.org', TXT, false).denial).toEqual(nodata(SOA, NS, A));
  });
});

describe('the apex DNSKEY RRset', () => {
  test('answers a DNSKEY question at the apex, spelled as asked', () => {
    const a = run('aUtH.example.ORG', DNSKEY);
    expect(a).toMatchObject({ rcode: Rcode.NOERROR, aa: true, authority: [] });
    expect(a.answer).toEqual([{ name: 'aUtH.example.ORG', ttl: 3600, data: DNSKEYS.data[0] }]);
    expect(a.denial).toBeUndefined();
  });

  test('only at the apex', () => {
    expect(run('acct.auth.example.org', DNSKEY).denial).toEqual(nodata(TXT));
    expect(run('nobody.auth.example.org', DNSKEY).rcode).toBe(Rcode.NXDOMAIN);
  });

  test('without DNSSEC a DNSKEY question is NODATA, as before', () => {
    const a = run('auth.example.org', DNSKEY, false);
    expect({ rcode: a.rcode, answer: a.answer, soa: a.authority.map((rr) => rr.data.type) }).toEqual({ rcode: Rcode.NOERROR, answer: [], soa: ['SOA'] });
  });

  test('a CNAME still answers every type, DNSKEY included', () => {
    expect(run('www.auth.example.org', DNSKEY).answer.map((rr) => rr.data.type)).toEqual(['CNAME']);
    expect(run('www.auth.example.org', CNAME).denial).toBeUndefined();
  });
});
