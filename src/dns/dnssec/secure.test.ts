/** createAnswerSecurity: which answers are secured, how RRSIGs follow their RRsets, the DNSKEY RRset per ring. */
import type { Answer } from '../answer';
import type { Question, ResourceRecord } from '../packet';
import { Rcode, RRType } from '../packet';
import { parseZone } from '../zone';
import { generatePrivateKeyPem, signingKeyFromPem } from './keys';
import { createRRsetSigner } from './rrset-signer';
import { createAnswerSecurity } from './secure';
import type { KeyRing } from './types';

const APEX = 'auth.example.org';
const zone = parseZone({ domain: APEX, nsname: APEX, nsadmin: 'admin.example.org', records: ['ns1.example.org. A 198.51.100.2'], negativeTtl: 60, txtTtl: 1, staticTtl: 3600 }, 2026112311);
const key = () => signingKeyFromPem(generatePrivateKeyPem(13), 13);
let ring: KeyRing = { keys: [key(), key()], version: 1 };
const signer = createRRsetSigner({ keys: () => ring, apex: APEX, timing: { validity: 1209600, refresh: 604800, inceptionOffset: 3600 }, cacheSize: 100 });
const security = createAnswerSecurity({ signer, keys: () => ring, dnskeyTtl: 7200 });
const NOW = 1_795_435_199;

const q = (name: string, type: number): Question => ({ labels: name.split('.'), type, class: 1 });
const txt = (name: string, ttl: number, value: string): ResourceRecord => ({ name, ttl, data: { type: 'TXT', strings: [Buffer.from(value)] } });
/** `owner TYPE ttl` per record, RRSIGs as `owner RRSIG(covered) ttl`. */
const show = (rrs: readonly ResourceRecord[]): string[] =>
  rrs.map((rr) => `${rr.name} ${rr.data.type === 'RRSIG' ? `RRSIG(${rr.data.typeCovered})` : rr.data.type} ${rr.ttl}`);

describe('secure', () => {
  test('every RRset is followed by one RRSIG per key, at its owner spelling and TTL', () => {
    const a: Answer = { rcode: Rcode.NOERROR, aa: true, answer: [txt('Acct.AUTH.example.org', 1, 'a'), txt('Acct.AUTH.example.org', 1, 'b')], authority: [] };
    const out = security.secure(a, q('Acct.AUTH.example.org', RRType.TXT), zone, NOW);
    expect(show(out.answer)).toEqual(['Acct.AUTH.example.org TXT 1', 'Acct.AUTH.example.org TXT 1', 'Acct.AUTH.example.org RRSIG(16) 1', 'Acct.AUTH.example.org RRSIG(16) 1']);
    const tags = out.answer.flatMap((rr) => (rr.data.type === 'RRSIG' ? [rr.data.keyTag] : []));
    expect(tags.sort()).toEqual(ring.keys.map((k) => k.tag).sort());
  });

  test('records of one RRset are grouped even when apart; TTLs brought to the lowest (RFC 2181 §5.2)', () => {
    const a: Answer = { rcode: Rcode.NOERROR, aa: true, answer: [txt('s.auth.example.org', 3600, 'static'), txt('S.auth.example.org', 1, 'store')], authority: [] };
    const out = security.secure(a, q('s.auth.example.org', RRType.TXT), zone, NOW);
    expect(show(out.answer)).toEqual(['s.auth.example.org TXT 1', 'S.auth.example.org TXT 1', 's.auth.example.org RRSIG(16) 1', 's.auth.example.org RRSIG(16) 1']);
  });

  test('a negative answer gets the compact denial, each of SOA and NSEC signed', () => {
    const a: Answer = { rcode: Rcode.NXDOMAIN, aa: true, answer: [], authority: [zone.negativeSoa], denial: { kind: 'nxdomain' } };
    const out = security.secure(a, q('nx.auth.example.org', RRType.A), zone, NOW);
    expect(out.rcode).toBe(Rcode.NOERROR);
    expect(show(out.authority)).toEqual([
      `${APEX} SOA 60`, `${APEX} RRSIG(6) 60`, `${APEX} RRSIG(6) 60`,
      'nx.auth.example.org NSEC 60', 'nx.auth.example.org RRSIG(47) 60', 'nx.auth.example.org RRSIG(47) 60',
    ]);
  });

  test.each<[string, Answer, Question]>([
    ['REFUSED', { rcode: Rcode.REFUSED, aa: false, answer: [], authority: [] }, q('example.com', RRType.A)],
    ['an out-of-zone static owner (AA, but not our zone)', { rcode: Rcode.NOERROR, aa: true, answer: [{ name: 'ns1.example.org', ttl: 3600, data: { type: 'A', address: '198.51.100.2' } }], authority: [] }, q('ns1.example.org', RRType.A)],
    ['an out-of-zone NODATA', { rcode: Rcode.NOERROR, aa: true, answer: [], authority: [] }, q('ns1.example.org', RRType.AAAA)],
  ])('unchanged: %s', (_what, a, question) => {
    expect(security.secure(a, question, zone, NOW)).toBe(a);
  });
});

describe('dnskeys', () => {
  test('one DNSKEY per key of the ring at dnskey_ttl; the same object while the ring is the same', () => {
    const set = security.dnskeys();
    expect(set).toEqual({ type: RRType.DNSKEY, ttl: 7200, data: ring.keys.map((k) => k.dnskey) });
    expect(security.dnskeys()).toBe(set);
  });

  test('a new ring (a rollover step) is served at once', () => {
    const before = security.dnskeys();
    ring = { keys: [ring.keys[1] ?? key()], version: 2 };
    const after = security.dnskeys();
    expect(after).not.toBe(before);
    expect(after.data).toEqual([ring.keys[0]?.dnskey]);
  });
});
