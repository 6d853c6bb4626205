/**
 * The conclusions of the delegation check for situations the topology test does not build (chains,
 * loops, dead or inconsistent name servers), over a table of DNS answers. The real path through
 * node:dns, unbound, knot and our server is test/check-delegation.test.ts.
 */
import { accountLabelOf, checkDelegation, type Finding } from './checks';
import type { DelegationDns } from './dns';
import { formatReport } from './report';

const ZONE = 'auth.example.org';
const SUB = 'd420c923-bbd7-4056-ab64-c3ca54c9a3cf';
const FULL = `${SUB}.${ZONE}`;

const dnsError = (code: string): Error => Object.assign(new Error(code), { code });

/** Answers by name; a string is an error code. Unlisted names: NXDOMAIN. */
interface Table {
  cname?: Record<string, string | string[]>;
  ns?: string[] | string;
  addresses?: Record<string, string[] | string>;
  txt?: Record<string, string[] | string>;
  txtAt?: Record<string, string[] | string>;
}

function tableDns(t: Table): DelegationDns {
  const answer = async <T>(value: T | string | undefined): Promise<T> => {
    if (value === undefined) throw dnsError('ENOTFOUND');
    if (typeof value === 'string') throw dnsError(value);
    return value;
  };
  return {
    resolvers: ['192.0.2.53'],
    cname: (name) => {
      const v = t.cname?.[name];
      return answer(typeof v === 'string' && !v.startsWith('E') ? [v] : v);
    },
    ns: () => answer(t.ns ?? ['ns1.auth.example.org']),
    addresses: (name) => answer(t.addresses?.[name] ?? ['192.0.2.1']),
    txt: (name) => answer(t.txt?.[name] ?? 'ENODATA'),
    txtAt: (server, name) => answer(t.txtAt?.[`${server} ${name}`] ?? 'ENODATA'),
  };
}

const known = async (label: string): Promise<{ values: number } | undefined> => (label === SUB ? { values: 2 } : undefined);

async function run(domain: string, table: Table): Promise<Finding[]> {
  return checkDelegation(tableDns(table), { domain, zone: ZONE, account: known });
}

const problems = (findings: Finding[]): string[] => findings.filter((f) => !f.ok).map((f) => f.text);

describe('check-delegation conclusions', () => {
  test('a correct delegation: no problem, every name server asked', async () => {
    const findings = await run('example.com', {
      cname: { '_acme-challenge.example.com': FULL, [FULL]: 'ENODATA' },
      ns: ['ns1.auth.example.org', 'ns2.auth.example.org'],
      addresses: { 'ns2.auth.example.org': ['192.0.2.2', '2001:db8::2'] },
      txt: { '_acme-challenge.example.com': ['a', 'b'] },
      txtAt: { [`192.0.2.1 ${FULL}`]: ['a', 'b'], [`192.0.2.2 ${FULL}`]: ['a', 'b'], [`2001:db8::2 ${FULL}`]: ['a', 'b'] },
    });
    expect(problems(findings)).toEqual([]);
    expect(findings.map((f) => f.text)).toEqual([
      `_acme-challenge.example.com is a CNAME to ${FULL}`,
      `an account has subdomain ${SUB} (2 TXT values live)`,
      `name servers of ${ZONE}: ns1.auth.example.org, ns2.auth.example.org`,
      `name server ns1.auth.example.org (192.0.2.1) answers for ${FULL}: 2 TXT values`,
      `name server ns2.auth.example.org (192.0.2.2) answers for ${FULL}: 2 TXT values`,
      `name server ns2.auth.example.org (2001:db8::2) answers for ${FULL}: 2 TXT values`,
      'through the resolver _acme-challenge.example.com shows 2 TXT values (what a CA sees)',
    ]);
  });

  test('a chain of CNAMEs ending at an account is fine, and named', async () => {
    const findings = await run('example.com', {
      cname: { '_acme-challenge.example.com': '_acme.example.net', '_acme.example.net': FULL, [FULL]: 'ENODATA' },
    });
    expect(problems(findings)).toEqual([]);
    expect(findings[0]?.text).toBe(`_acme-challenge.example.com leads by CNAME to ${FULL} (_acme-challenge.example.com -> _acme.example.net -> ${FULL})`);
  });

  test.each<[string, Table, string, string]>([
    ['no CNAME, no name', {}, '_acme-challenge.example.com does not exist', `create _acme-challenge.example.com. CNAME <subdomain>.${ZONE}.`],
    [
      'TXT records instead of a CNAME',
      { cname: { '_acme-challenge.example.com': 'ENODATA' }, txt: { '_acme-challenge.example.com': ['x'] } },
      '_acme-challenge.example.com exists but is no CNAME (it holds 1 TXT value itself: remove them, the CNAME replaces them)',
      'create _acme-challenge.example.com. CNAME',
    ],
    [
      'a CNAME out of the zone',
      { cname: { '_acme-challenge.example.com': 'acme.example.net' } },
      `the CNAME points to acme.example.net, which is not in ${ZONE}`,
      `make _acme-challenge.example.com a CNAME to <subdomain>.${ZONE}`,
    ],
    [
      'a CNAME into the zone but not to an account name',
      { cname: { '_acme-challenge.example.com': `a.b.${ZONE}` } },
      `the CNAME points to a.b.${ZONE}, which is in ${ZONE} but not an account's name`,
      'make _acme-challenge.example.com a CNAME',
    ],
    [
      'a CNAME to an unknown account',
      { cname: { '_acme-challenge.example.com': `nobody.${ZONE}` } },
      'no account has subdomain nobody',
      'register one (POST /register or "acmedns accounts create")',
    ],
    [
      'a loop',
      { cname: { '_acme-challenge.example.com': 'a.example.net', 'a.example.net': '_acme-challenge.example.com' } },
      'the CNAME chain from _acme-challenge.example.com loops (_acme-challenge.example.com -> a.example.net -> _acme-challenge.example.com)',
      'point _acme-challenge.example.com straight at',
    ],
    [
      'a resolver that fails',
      { cname: { '_acme-challenge.example.com': 'ESERVFAIL' } },
      'the resolver could not look up _acme-challenge.example.com: the server failed to answer (SERVFAIL)',
      'check the resolver',
    ],
    [
      'a name server that does not answer',
      { cname: { '_acme-challenge.example.com': FULL }, txtAt: { [`192.0.2.1 ${FULL}`]: 'ETIMEOUT' } },
      'name server ns1.auth.example.org (192.0.2.1) did not answer: no answer (timeout)',
      'port 53 (UDP and TCP)',
    ],
    [
      'a name server that does not know a known account (another database)',
      { cname: { '_acme-challenge.example.com': FULL }, txtAt: { [`192.0.2.1 ${FULL}`]: 'ENOTFOUND' } },
      `name server ns1.auth.example.org (192.0.2.1) says ${FULL} does not exist`,
      'the same database',
    ],
    [
      'a name server without an address',
      { cname: { '_acme-challenge.example.com': FULL }, addresses: { 'ns1.auth.example.org': [] } },
      'name server ns1.auth.example.org has no A or AAAA record',
      'give ns1.auth.example.org an address',
    ],
    [
      'a zone without a delegation',
      { cname: { '_acme-challenge.example.com': FULL }, ns: 'ENOTFOUND' },
      `the name servers of ${ZONE} cannot be found through the resolver: the name does not exist (NXDOMAIN)`,
      `delegate ${ZONE} in its parent zone`,
    ],
  ])('%s', async (_name, table, problem, fix) => {
    const findings = await run('example.com', table);
    const failed = findings.filter((f) => !f.ok);
    expect(failed.map((f) => f.text)).toEqual([problem]);
    expect(failed[0]?.fix).toContain(fix);
  });

  test('an unknown account is one problem: its NXDOMAIN at the name servers is expected', async () => {
    const findings = await run('example.com', {
      cname: { '_acme-challenge.example.com': `nobody.${ZONE}` },
      txtAt: { [`192.0.2.1 nobody.${ZONE}`]: 'ENOTFOUND' },
    });
    expect(problems(findings)).toEqual(['no account has subdomain nobody']);
    expect(findings.some((f) => f.ok && f.text.includes('no such name, as no account has it'))).toBe(true);
  });
});

describe('for a signed-in account (the API)', () => {
  const asAccount = (own: string, table: Table): Promise<Finding[]> =>
    checkDelegation(tableDns(table), { domain: 'example.com', zone: ZONE, account: known, ownSubdomain: own });
  const other = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

  test('the CNAME leads to it: one more ok line, no problem', async () => {
    const findings = await asAccount(SUB.toUpperCase(), { cname: { '_acme-challenge.example.com': FULL, [FULL]: 'ENODATA' } });
    expect(problems(findings)).toEqual([]);
    expect(findings[2]).toEqual({ ok: true, text: `${SUB} is the account you are signed in with` });
  });

  test("the CNAME leads to another account: a problem, and the fix names the signed-in account's name", async () => {
    const findings = await asAccount(other, { cname: { '_acme-challenge.example.com': FULL, [FULL]: 'ENODATA' } });
    expect(findings.filter((f) => !f.ok)).toEqual([
      {
        ok: false,
        text: `the CNAME leads to account ${SUB}, not to the account you are signed in with (${other})`,
        fix: `make _acme-challenge.example.com a CNAME to ${other}.${ZONE}.`,
      },
    ]);
  });

  test('no CNAME: the record to create names the signed-in account', async () => {
    const findings = await asAccount(SUB, {});
    expect(findings[0]?.fix).toContain(`create _acme-challenge.example.com. CNAME ${FULL}.`);
  });
});

test.each([
  [FULL, SUB],
  [`${FULL}.`, SUB],
  [FULL.toUpperCase(), SUB],
  [ZONE, undefined],
  [`a.b.${ZONE}`, undefined],
  [`x.other${ZONE}`, undefined],
])('account label of %s: %s', (target, label) => {
  expect(accountLabelOf(target, ZONE)).toBe(label);
});

test('the report: ok and FAIL lines, fixes below, a verdict', () => {
  expect(formatReport('checking x', [{ ok: true, text: 'fine' }, { ok: false, text: 'broken', fix: 'mend it' }])).toBe(
    'checking x\nok    fine\nFAIL  broken\n      fix: mend it\n1 problem found\n',
  );
  expect(formatReport('checking x', [{ ok: true, text: 'fine' }])).toBe('checking x\nok    fine\nthe delegation is correct\n');
});
