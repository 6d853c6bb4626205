/**
 * Empty non-terminals (RFC 8020 §2, RFC 2308 §2.2): names that exist only because something lives
 * below them answer NODATA with the SOA, never NXDOMAIN; the static zone's deep names and the
 * server's own DNS-01 names (while they hold a value) both make them.
 */
import type { Question } from './packet';
import { Rcode, RRType } from './packet';
import { accountLabel, answer, challengeName, ownNamesBelow } from './answer';
import { parseZone } from './zone';

const OWN_API = '_acme-challenge.api.example.test.auth.example.org';
const OWN_OTHER = '_acme-challenge.other.example.test.auth.example.org';
const zone = parseZone(
  {
    domain: 'auth.example.org',
    nsname: 'auth.example.org',
    nsadmin: 'admin.example.org',
    records: ['srv.lab.site.auth.example.org. A 198.51.100.9'],
    negativeTtl: 60,
    txtTtl: 1,
    staticTtl: 3600,
  },
  2026112311,
  [OWN_API, OWN_OTHER, '_acme-challenge.auth.example.org'],
);

/** The store: own values at OWN_API only (OWN_OTHER's were withdrawn); one account, `acct`. */
const ownValues = new Map<string, readonly string[]>([[OWN_API, ['own-a']]]);

function q(name: string, type: number): Question {
  return { labels: name.split('.'), type, class: 1 };
}

/** What the handler does: lookup, own values, then the own names below when nothing was found. */
function run(name: string, type: number): { rcode: number; answers: number; soa: boolean } {
  const question = q(name, type);
  const label = accountLabel(question, zone);
  const account = label === 'acct' ? { values: ['v'] } : undefined;
  const own = challengeName(question, zone);
  const values = own === undefined ? [] : (ownValues.get(own) ?? []);
  const below = ownNamesBelow(question, zone, account !== undefined || values.length > 0);
  const nonTerminal = below.some((n) => (ownValues.get(n) ?? []).length > 0);
  const a = answer(question, zone, account, values, nonTerminal);
  return { rcode: a.rcode, answers: a.answer.length, soa: a.authority.some((rr) => rr.data.type === 'SOA') };
}

const NODATA = { rcode: Rcode.NOERROR, answers: 0, soa: true };
const NXDOMAIN = { rcode: Rcode.NXDOMAIN, answers: 0, soa: true };

describe('empty non-terminals answer NODATA', () => {
  test.each<[string, string, number, { rcode: number; answers: number; soa: boolean }]>([
    ['above a deep own name holding a value', 'api.example.test.auth.example.org', RRType.TXT, NODATA],
    ['the same, 0x20 spelling, type A', 'API.Example.test.AUTH.example.org', RRType.A, NODATA],
    ['two levels above it', 'example.test.auth.example.org', RRType.TXT, NODATA],
    ['three levels above, a one-label name (no account there)', 'test.auth.example.org', RRType.TXT, NODATA],
    ['the own name itself: its value', OWN_API, RRType.TXT, { rcode: Rcode.NOERROR, answers: 1, soa: false }],
    ['above an own name whose value was withdrawn: nothing lives below', 'other.example.test.auth.example.org', RRType.TXT, NXDOMAIN],
    ['beside the path: does not exist', 'x.example.test.auth.example.org', RRType.TXT, NXDOMAIN],
    ['below the own name: does not exist', `x.${OWN_API}`, RRType.TXT, NXDOMAIN],
    ['above a deep static name', 'lab.site.auth.example.org', RRType.A, NODATA],
    ['two levels above a deep static name', 'site.auth.example.org', RRType.TXT, NODATA],
    ['the deep static name, missing type', 'srv.lab.site.auth.example.org', RRType.AAAA, NODATA],
    ['beside the static path: does not exist', 'x.site.auth.example.org', RRType.A, NXDOMAIN],
  ])('%s: %s type %d', (_what, name, type, expected) => {
    expect(run(name, type)).toEqual(expected);
  });
});

describe('ownNamesBelow: the own names read to decide', () => {
  test.each<[string, boolean, readonly string[]]>([
    ['api.example.test.auth.example.org', false, [OWN_API]],
    ['example.test.auth.example.org', false, [OWN_API, OWN_OTHER]],
    ['Test.Auth.Example.Org', false, [OWN_API, OWN_OTHER]],
    // Found already (an account or own values there): nothing more is read.
    ['test.auth.example.org', true, []],
    // The apex and static names exist anyway; the own names themselves have no own names below.
    ['auth.example.org', false, []],
    ['site.auth.example.org', false, []],
    [OWN_API, false, []],
    ['nobody.auth.example.org', false, []],
  ])('%s, found %s -> %j', (name, found, names) => {
    expect(ownNamesBelow(q(name, RRType.TXT), zone, found)).toEqual(names);
  });
});
