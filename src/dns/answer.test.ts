import type { NameData } from '../core/types';
import type { Question, ResourceRecord } from './packet';
import { Rcode, RRType } from './packet';
import { accountLabel, answer, challengeName, onlyAnAccountMakes, onlyAnAccountMakesAny } from './answer';
import { parseZone } from './zone';
import { rdataText } from './rdata-text';

const SUB = 'd420c923-bbd7-4056-ab64-c3ca54c9b3cf';
/** The zone settings every zone of these tests has; each names its records. */
const SETTINGS = {
  domain: 'auth.example.org',
  nsname: 'auth.example.org',
  nsadmin: 'admin.example.org',
  negativeTtl: 60,
  txtTtl: 1,
  staticTtl: 3600,
};
const zone = parseZone(
  {
    ...SETTINGS,
    records: [
      'auth.example.org. A 198.51.100.1',
      'auth.example.org. CAA 0 issue "letsencrypt.org"',
      'ns1.example.org. A 198.51.100.2',
      'www.auth.example.org. CNAME target.example.net.',
      'deep.ent.auth.example.org. 120 TXT "Static Mixed Case"',
      'mail.auth.example.org. MX 10 mx.example.org.',
      'mail.auth.example.org. A 198.51.100.3',
      'static.auth.example.org. TXT "static one"',
    ],
  },
  2026112311,
);

/** What the store holds, by lower-case subdomain. */
const accounts = new Map<string, NameData>([
  [SUB, { values: ['newest-value-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'older-value-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'] }],
  ['empty', { values: [] }],
  ['blank', { values: ['', ''] }],
  ['_acme-challenge', { values: ['own-challenge'] }],
  ['static', { values: ['from-the-store'] }],
  ['long', { values: ['L'.repeat(300)] }],
]);

/** The server's own DNS-01 values the store holds, by lower-case name. */
const challenges = new Map<string, readonly string[]>([
  ['_acme-challenge.api.example.test.auth.example.org', ['own-a', 'own-b']],
  ['_acme-challenge.auth.example.org', ['own-apex-cert']],
  // Never read: no own value lives outside `_acme-challenge.<name>` (the row for `lone` shows it is not served).
  ['lone.auth.example.org', ['own-lone']],
  // Never read: an account was found at this one-label name (the first row shows it is not served).
  [`${SUB}.auth.example.org`, ['never-read']],
]);

const SOA_NEG = 'SOA 60 auth.example.org admin.example.org 2026112311 28800 7200 604800 60';

function q(name: string, type: number, klass = 1): Question {
  return { labels: name === '' ? [] : name.split('.'), type, class: klass };
}

/** One RR as `owner TYPE ttl rdata` text. */
function show(rr: ResourceRecord): string {
  return `${rr.name} ${rr.data.type} ${rr.ttl} ${rdataText(rr.data)}`;
}

interface Row {
  readonly name: string;
  readonly type: number;
  readonly rcode: number;
  readonly aa: boolean;
  readonly answer: readonly string[];
  readonly authority: readonly string[];
}

const nodata = (apex: string): Pick<Row, 'rcode' | 'aa' | 'answer' | 'authority'> => ({
  rcode: Rcode.NOERROR,
  aa: true,
  answer: [],
  authority: [`${apex} ${SOA_NEG}`],
});
const nxdomain = (apex: string): Pick<Row, 'rcode' | 'aa' | 'answer' | 'authority'> => ({
  ...nodata(apex),
  rcode: Rcode.NXDOMAIN,
});
const refused = { rcode: Rcode.REFUSED, aa: false, answer: [], authority: [] };

const MIXED = 'D420c923-BBD7-4056-ab64-C3CA54C9B3CF.aUtH.ExAmPlE.oRg';
const rows: Array<[string, Row]> = [
  ['account TXT: every value, newest first, TTL txtTtl', { name: `${SUB}.auth.example.org`, type: RRType.TXT, rcode: 0, aa: true, authority: [],
    answer: [`${SUB}.auth.example.org TXT 1 "newest-value-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"`, `${SUB}.auth.example.org TXT 1 "older-value-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"`] }],
  ['account TXT, 0x20 spelling: owner as asked', { name: MIXED, type: RRType.TXT, rcode: 0, aa: true, authority: [],
    answer: [`${MIXED} TXT 1 "newest-value-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"`, `${MIXED} TXT 1 "older-value-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"`] }],
  ['account A: NODATA, SOA spelled as the question spells the apex', { name: MIXED, type: RRType.A, ...nodata('aUtH.ExAmPlE.oRg') }],
  ['account SOA: NODATA (lego SOA walk)', { name: `${SUB}.auth.example.org`, type: RRType.SOA, ...nodata('auth.example.org') }],
  ['account CNAME: NODATA (cert-manager)', { name: `${SUB}.auth.example.org`, type: RRType.CNAME, ...nodata('auth.example.org') }],
  ['account without values, TXT: NODATA', { name: 'empty.auth.example.org', type: RRType.TXT, ...nodata('auth.example.org') }],
  ['account with only empty slots (an acme-dns import): NODATA', { name: 'blank.auth.example.org', type: RRType.TXT, ...nodata('auth.example.org') }],
  ['account without values, ANY: NODATA', { name: 'empty.auth.example.org', type: RRType.ANY, ...nodata('auth.example.org') }],
  ['account ANY: its TXT values', { name: `${SUB}.auth.example.org`, type: RRType.ANY, rcode: 0, aa: true, authority: [],
    answer: [`${SUB}.auth.example.org TXT 1 "newest-value-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"`, `${SUB}.auth.example.org TXT 1 "older-value-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"`] }],
  ['value over 255 octets: one RR, split strings', { name: 'long.auth.example.org', type: RRType.TXT, rcode: 0, aa: true, authority: [],
    answer: [`long.auth.example.org TXT 1 "${'L'.repeat(255)}" "${'L'.repeat(45)}"`] }],
  ['unknown name in the zone: NXDOMAIN + SOA', { name: 'nobody.auth.example.org', type: RRType.TXT, ...nxdomain('auth.example.org') }],
  ['below an account name: NXDOMAIN', { name: `x.${SUB}.auth.example.org`, type: RRType.TXT, ...nxdomain('auth.example.org') }],
  ['outside the zone: REFUSED, AA=0', { name: 'example.com', type: RRType.A, ...refused }],
  ['parent of the zone: REFUSED', { name: 'example.org', type: RRType.SOA, ...refused }],
  ['account label under another zone: REFUSED (acme-dns answers it)', { name: `${SUB}.example.com`, type: RRType.TXT, ...refused }],
  ['apex SOA, 0x20', { name: 'AUTH.example.ORG', type: RRType.SOA, rcode: 0, aa: true, authority: [],
    answer: ['AUTH.example.ORG SOA 3600 auth.example.org admin.example.org 2026112311 28800 7200 604800 60'] }],
  ['apex NS: nsname', { name: 'auth.example.org', type: RRType.NS, rcode: 0, aa: true, authority: [], answer: ['auth.example.org NS 3600 auth.example.org'] }],
  ['apex A: static', { name: 'auth.example.org', type: RRType.A, rcode: 0, aa: true, authority: [], answer: ['auth.example.org A 3600 198.51.100.1'] }],
  ['apex CAA: static', { name: 'auth.example.org', type: RRType.CAA, rcode: 0, aa: true, authority: [], answer: ['auth.example.org CAA 3600 0 issue "letsencrypt.org"'] }],
  ['apex TXT: NODATA', { name: 'auth.example.org', type: RRType.TXT, ...nodata('auth.example.org') }],
  ['apex ANY: the SOA only (RFC 8482)', { name: 'auth.example.org', type: RRType.ANY, rcode: 0, aa: true, authority: [],
    answer: ['auth.example.org SOA 3600 auth.example.org admin.example.org 2026112311 28800 7200 604800 60'] }],
  ['apex AXFR: REFUSED', { name: 'auth.example.org', type: RRType.AXFR, ...refused }],
  ['apex IXFR: REFUSED', { name: 'auth.example.org', type: RRType.IXFR, ...refused }],
  ['static name ANY: one RRset', { name: 'mail.auth.example.org', type: RRType.ANY, rcode: 0, aa: true, authority: [], answer: ['mail.auth.example.org MX 3600 10 mx.example.org'] }],
  ['static name, missing type: NODATA + SOA', { name: 'mail.auth.example.org', type: RRType.AAAA, ...nodata('auth.example.org') }],
  ['static TXT keeps its case', { name: 'Deep.Ent.auth.example.org', type: RRType.TXT, rcode: 0, aa: true, authority: [], answer: ['Deep.Ent.auth.example.org TXT 120 "Static Mixed Case"'] }],
  ['empty non-terminal: NODATA, not NXDOMAIN', { name: 'ent.auth.example.org', type: RRType.A, ...nodata('auth.example.org') }],
  ['static and store TXT at one name: both', { name: 'static.auth.example.org', type: RRType.TXT, rcode: 0, aa: true, authority: [],
    answer: ['static.auth.example.org TXT 3600 "static one"', 'static.auth.example.org TXT 1 "from-the-store"'] }],
  ['static and store data at one name, ANY: the static RRset (no lookup needed)', { name: 'static.auth.example.org', type: RRType.ANY, rcode: 0, aa: true, authority: [],
    answer: ['static.auth.example.org TXT 3600 "static one"'] }],
  ['static CNAME answers A', { name: 'WWW.auth.example.org', type: RRType.A, rcode: 0, aa: true, authority: [], answer: ['WWW.auth.example.org CNAME 3600 target.example.net'] }],
  ['static CNAME answers CNAME', { name: 'www.auth.example.org', type: RRType.CNAME, rcode: 0, aa: true, authority: [], answer: ['www.auth.example.org CNAME 3600 target.example.net'] }],
  ['static CNAME answers TXT', { name: 'www.auth.example.org', type: RRType.TXT, rcode: 0, aa: true, authority: [], answer: ['www.auth.example.org CNAME 3600 target.example.net'] }],
  ['out-of-zone static owner: served, AA', { name: 'NS1.example.org', type: RRType.A, rcode: 0, aa: true, authority: [], answer: ['NS1.example.org A 3600 198.51.100.2'] }],
  ['out-of-zone static owner, missing type: NODATA without our SOA', { name: 'ns1.example.org', type: RRType.AAAA, rcode: 0, aa: true, answer: [], authority: [] }],
  ['below an out-of-zone static owner: REFUSED', { name: 'x.ns1.example.org', type: RRType.A, ...refused }],
  ['_acme-challenge: a store key and the own challenge, both served', { name: '_acme-challenge.auth.example.org', type: RRType.TXT, rcode: 0, aa: true, authority: [],
    answer: ['_acme-challenge.auth.example.org TXT 1 "own-challenge"', '_acme-challenge.auth.example.org TXT 1 "own-apex-cert"'] }],
  ['own challenge several labels deep (api_domain outside the zone): TXT as asked', { name: '_ACME-challenge.Api.Example.TEST.auth.example.org', type: RRType.TXT, rcode: 0, aa: true, authority: [],
    answer: ['_ACME-challenge.Api.Example.TEST.auth.example.org TXT 1 "own-a"', '_ACME-challenge.Api.Example.TEST.auth.example.org TXT 1 "own-b"'] }],
  ['own challenge name, A: NODATA (the name exists)', { name: '_acme-challenge.api.example.test.auth.example.org', type: RRType.A, ...nodata('auth.example.org') }],
  ['own challenge name, ANY: its TXT values', { name: '_acme-challenge.api.example.test.auth.example.org', type: RRType.ANY, rcode: 0, aa: true, authority: [],
    answer: ['_acme-challenge.api.example.test.auth.example.org TXT 1 "own-a"', '_acme-challenge.api.example.test.auth.example.org TXT 1 "own-b"'] }],
  ['own challenge name without values (withdrawn): NXDOMAIN', { name: '_acme-challenge.other.example.test.auth.example.org', type: RRType.TXT, ...nxdomain('auth.example.org') }],
  // Own values exist only at `_acme-challenge.<name>` (their one writer): elsewhere they are not read.
  ['one-label name, not _acme-challenge, no account: NXDOMAIN without reading own values', { name: 'lone.auth.example.org', type: RRType.TXT, ...nxdomain('auth.example.org') }],
  ['unknown type at an account: NODATA', { name: `${SUB}.auth.example.org`, type: 65280, ...nodata('auth.example.org') }],
];

describe('answer', () => {
  test.each(rows)('%s', (_what, row) => {
    const question = q(row.name, row.type);
    // What the handler does: the lookup first, then the own challenges when challengeName says so.
    const label = accountLabel(question, zone);
    const account = label === undefined ? undefined : accounts.get(label);
    const own = challengeName(question, zone);
    const result = answer(question, zone, account, own === undefined ? [] : (challenges.get(own) ?? []));
    expect({ rcode: result.rcode, aa: result.aa, answer: result.answer.map(show), authority: result.authority.map(show) }).toEqual({
      rcode: row.rcode,
      aa: row.aa,
      answer: row.answer,
      authority: row.authority,
    });
  });

  test('a label holding a dot is one label, never two', () => {
    // `auth.example` + `org` spelled as two wire labels is not the apex.
    expect(answer({ labels: ['auth.example', 'org'], type: RRType.SOA, class: 1 }, zone, undefined)).toMatchObject({ rcode: Rcode.REFUSED });
    // `www.auth` as one label under `example.org` is outside the zone, not the static CNAME.
    expect(answer({ labels: ['www.auth', 'example', 'org'], type: RRType.A, class: 1 }, zone, undefined)).toMatchObject({ rcode: Rcode.REFUSED });
    // One odd label under the apex: a name that cannot exist.
    const odd = { labels: ['a.b', 'auth', 'example', 'org'], type: RRType.TXT, class: 1 };
    expect(accountLabel(odd, zone)).toBeUndefined();
    expect(answer(odd, zone, undefined).rcode).toBe(Rcode.NXDOMAIN);
  });
});

describe('accountLabel', () => {
  test.each([
    [`${SUB}.auth.example.org`, SUB],
    [MIXED, SUB],
    ['_acme-challenge.AUTH.example.org', '_acme-challenge'],
    ['auth.example.org', undefined],
    [`x.${SUB}.auth.example.org`, undefined],
    [`${SUB}.example.com`, undefined],
    ['we!rd.auth.example.org', undefined],
  ])('%s TXT -> %s', (name, label) => {
    expect(accountLabel(q(name, RRType.TXT), zone)).toBe(label);
  });

  // The store is asked only when it can change the answer: static data answers without it.
  test.each([
    ['static.auth.example.org', RRType.TXT, 'static'],
    ['static.auth.example.org', RRType.A, undefined],
    ['static.auth.example.org', RRType.ANY, undefined],
    ['mail.auth.example.org', RRType.MX, undefined],
    ['ent.auth.example.org', RRType.TXT, 'ent'],
    ['ent.auth.example.org', RRType.A, undefined],
    ['www.auth.example.org', RRType.TXT, undefined],
    [`${SUB}.auth.example.org`, RRType.A, SUB],
  ])('%s type %d -> %s', (name, type, label) => {
    expect(accountLabel(q(name, type), zone)).toBe(label);
  });
});

describe('challengeName: when the own DNS-01 values are read', () => {
  test.each<[string, number, string | undefined]>([
    ['_acme-challenge.AUTH.example.org', RRType.TXT, '_acme-challenge.auth.example.org'],
    ['_ACME-Challenge.Api.Example.Test.auth.example.org', RRType.TXT, '_acme-challenge.api.example.test.auth.example.org'],
    ['_acme-challenge.api.example.test.auth.example.org', RRType.A, '_acme-challenge.api.example.test.auth.example.org'],
    // Only `_acme-challenge.<name>` holds them (RFC 8555 §8.4): an account's TXT and a miss cost
    // one store read, whatever the lookup found.
    [`${SUB}.auth.example.org`, RRType.TXT, undefined],
    ['nx-5f3a.auth.example.org', RRType.TXT, undefined],
    ['x.y.auth.example.org', RRType.TXT, undefined],
    ['_acme-challenge.x.y.auth.example.org', RRType.TXT, '_acme-challenge.x.y.auth.example.org'],
    // The apex and names outside the zone never hold them.
    ['auth.example.org', RRType.TXT, undefined],
    ['_acme-challenge.example.com', RRType.TXT, undefined],
    // Static names keep answering without the store, except for TXT without a CNAME.
    ['static.auth.example.org', RRType.A, undefined],
    ['deep.ent.auth.example.org', RRType.TXT, undefined],
    ['www.auth.example.org', RRType.TXT, undefined],
  ])('%s type %d -> %s', (name, type, expected) => {
    expect(challengeName(q(name, type), zone)).toBe(expected);
  });

  test('a label holding a dot or odd bytes is never a store key', () => {
    expect(challengeName({ labels: ['_acme-challenge', 'a.b', 'auth', 'example', 'org'], type: RRType.TXT, class: 1 }, zone)).toBeUndefined();
    expect(challengeName({ labels: ['_acme-challenge', 'we!rd', 'auth', 'example', 'org'], type: RRType.TXT, class: 1 }, zone)).toBeUndefined();
  });
});

describe('onlyAnAccountMakes: the labels whose answer without an account is the one NXDOMAIN', () => {
  const uuidLike = 'c0ffee00-1111-4222-8333-444455556666';
  // A second zone taking a label of a UUID's length: that length must be hashed, the others not.
  const other = parseZone(
    { ...SETTINGS, records: ['auth.example.org. A 198.51.100.1', `${uuidLike}.auth.example.org. A 192.0.2.1`, 'a.b.auth.example.org. A 192.0.2.2'] },
    2026112311,
    ['_acme-challenge.api.auth.example.org'],
  );

  test.each([
    ['zone', SUB, true],
    ['zone', uuidLike, true],
    ['zone', 'nothing', true],
    // Static data, an empty non-terminal, `_acme-challenge`; and one letter off each.
    ['zone', 'www', false],
    ['zone', 'wwx', true],
    ['zone', 'ent', false],
    ['zone', 'enu', true],
    ['zone', '_acme-challenge', false],
    ['zone', 'static', false],
    ['zone', 'mail', false],
    ['other', uuidLike, false],
    ['other', SUB, true],
    ['other', 'b', false],
    ['other', 'c', true],
    // Above an own challenge name (Zone.ownChallengeAncestors).
    ['other', 'api', false],
    ['other', 'apj', true],
  ] as const)('%s, %s: %s', (which, label, expected) => {
    const [z, then] = which === 'zone' ? [zone, other] : [other, zone];
    expect(onlyAnAccountMakes(label, z)).toBe(expected);
    // Asked again, after the other zone (the last zone asked is kept).
    onlyAnAccountMakes(label, then);
    expect(onlyAnAccountMakes(label, z)).toBe(expected);
  });

  test.each([
    ['zone', 36, true],
    ['zone', 3, false],
    ['zone', 4, false],
    ['zone', 5, true],
    ['other', 36, false],
    ['other', 3, false],
    ['other', 2, true],
    ['other', 1, false],
  ] as const)('%s: every label of %i octets is one only an account makes: %s', (which, length, expected) => {
    const [z, then] = which === 'zone' ? [zone, other] : [other, zone];
    expect(onlyAnAccountMakesAny(length, z)).toBe(expected);
    onlyAnAccountMakesAny(length, then);
    expect(onlyAnAccountMakesAny(length, z)).toBe(expected);
  });
});
