/**
 * The handler with DNSSEC on: queries without DO get exactly the bytes of the handler built
 * without it (the rule); DO answers are signed after the serial is stamped in; the apex
 * DNSKEY RRset is zone data; NXNAME is never asked for (RFC 9824 §3.5); RRSIG questions are refused.
 */
import pino from 'pino';
import type { NameData } from '../core/types';
import { buildQuery, parseReply, type QuerySpec, rrs } from '../../test/support/dns-message';
import { testDnssec, validateReplies } from '../../test/support/dnssec';
import { createHandler, type HandlerDeps } from './handler';
import { parseZone } from './zone';

const zone = parseZone({
  domain: 'auth.example.org',
  nsname: 'auth.example.org',
  nsadmin: 'admin.example.org',
  records: ['deep.ent.auth.example.org. A 198.51.100.9', 'static.auth.example.org. TXT "static"'],
  negativeTtl: 60,
  txtTtl: 1,
  staticTtl: 3600,
});
const accounts = new Map<string, NameData>([
  ['acct', { values: ['v1', 'v2'] }],
  ['static', { values: ['from-the-store'] }],
  ['empty', { values: [] }],
]);
const STORE_SERIAL = 2026120499;
const deps: HandlerDeps = {
  zone,
  lookup: async (sub) => accounts.get(sub),
  challenges: async () => [],
  logger: pino({ level: 'silent' }),
  now: () => 1_795_435_199,
  serial: async () => STORE_SERIAL,
};
const { security, keys } = testDnssec('auth.example.org');
const plain = createHandler(deps);
const signed = createHandler({ ...deps, dnssec: security });

const QUESTIONS: ReadonlyArray<[string, Omit<QuerySpec, 'edns'>]> = [
  ['TXT', { name: 'acct.auth.example.org', type: 'TXT' }],
  ['TXT, 0x20', { name: 'ACCT.Auth.example.org', type: 'TXT' }],
  ['NXDOMAIN', { name: 'nobody.auth.example.org', type: 'TXT' }],
  ['NODATA', { name: 'acct.auth.example.org', type: 'A' }],
  ['NODATA at an empty non-terminal', { name: 'ent.auth.example.org', type: 'A' }],
  ['apex SOA', { name: 'auth.example.org', type: 'SOA' }],
  ['apex NS', { name: 'auth.example.org', type: 'NS' }],
  ['NSEC', { name: 'nobody.auth.example.org', type: 47 }],
  ['NXNAME', { name: 'nobody.auth.example.org', type: 128 }],
  ['RRSIG', { name: 'acct.auth.example.org', type: 46 }],
  ['outside the zone', { name: 'example.com', type: 'A' }],
];

describe('without DO: the bytes of the handler built without DNSSEC', () => {
  test.each(QUESTIONS.flatMap(([what, q]) => [
    [`${what}, no EDNS`, q] as const,
    [`${what}, EDNS without DO`, { ...q, edns: { udpSize: 1232 } }] as const,
  ]))('%s', async (_what, spec) => {
    const query = buildQuery(spec);
    for (const transport of ['udp', 'tcp'] as const) {
      const want = await plain(query, transport as 'udp', '127.0.0.1');
      expect(want).not.toBeNull();
      expect(await signed(query, transport as 'udp', '127.0.0.1')).toEqual(want);
    }
  });
});

describe('with DO', () => {
  const raw = async (spec: Omit<QuerySpec, 'edns'>): Promise<Buffer> => (await signed(buildQuery({ ...spec, edns: { udpSize: 1232, dnssecOk: true } }), 'udp', '127.0.0.1')) as Buffer;
  const ask = async (spec: Omit<QuerySpec, 'edns'>) => parseReply(await raw(spec));

  test('the SOA carries the store\'s serial and its RRSIG covers that SOA (signed after the serial is stamped)', async () => {
    const bytes = await raw({ name: 'nobody.auth.example.org', type: 'TXT' });
    const r = parseReply(bytes);
    const authority = rrs(r.packet.authorities);
    expect(authority.map((a) => a.type)).toEqual(['SOA', 'RRSIG', 'NSEC', 'RRSIG']);
    expect((authority[0]?.data as { serial: number }).serial).toBe(STORE_SERIAL);
    expect(r.opt?.flags).toBe(0x8000);
    const [seen] = await validateReplies('auth.example.org', keys, 1_795_435_199, [bytes]);
    expect(seen?.sections.authority.map((s) => [s.type, s.valid])).toEqual([['SOA', true], ['NSEC', true]]);
  });

  test('static and store TXT at one name: one RRset at one TTL (RFC 2181 §5.2), one RRSIG', async () => {
    const r = await ask({ name: 'static.auth.example.org', type: 'TXT' });
    const answers = rrs(r.packet.answers).map((a) => `${a.type} ${a.ttl}`);
    expect(answers).toEqual(['TXT 1', 'TXT 1', 'RRSIG 1']);
  });

  test('NXNAME is FORMERR (RFC 9824 §3.5)', async () => {
    expect((await ask({ name: 'nobody.auth.example.org', type: 128 })).rcode).toBe(1);
  });

  test('a question for type RRSIG is REFUSED (RRSIGs come with their RRsets; as Knot answers it)', async () => {
    for (const name of ['acct.auth.example.org', 'auth.example.org', 'nobody.auth.example.org']) {
      const r = await ask({ name, type: 46 });
      expect({ rcode: r.rcode, answers: r.packet.answers?.length ?? 0, authorities: r.packet.authorities?.length ?? 0 }).toEqual({ rcode: 5, answers: 0, authorities: 0 });
    }
  });

  test('outside the zone: REFUSED, nothing signed', async () => {
    const r = await ask({ name: 'example.com', type: 'A' });
    expect({ rcode: r.rcode, answers: r.packet.answers?.length ?? 0, authorities: r.packet.authorities?.length ?? 0 }).toEqual({ rcode: 5, answers: 0, authorities: 0 });
  });
});

test('the DNSKEY question is answered with or without DO (zone data), and only when DNSSEC is on', async () => {
  const q = buildQuery({ name: 'auth.example.org', type: 48 });
  expect((parseReply((await signed(q, 'udp', '127.0.0.1')) as Buffer).packet.answers ?? []).map((a) => a.type)).toEqual(['DNSKEY']);
  expect(parseReply((await plain(q, 'udp', '127.0.0.1')) as Buffer).packet.answers ?? []).toEqual([]);
});
