/**
 * POST /account/check against the test topology, as the page's Check button uses it: knot serves
 * example.test with the users' CNAMEs, unbound is the resolver (`api.check_resolvers`), our daemon
 * is the delegated auth.example.test on its own loopback address. The check fails before the
 * CNAME exists and passes after it is added, says so when the CNAME leads to another account, and
 * gives the same findings as `acmedns check-delegation` (the CLI's own test: check-delegation.test.ts).
 */
import { authHeaders, register, send, txtValue, update, type Registration } from './support/api-client';
import { NS_NAME, startTopology, topologySkipReason, ZONE, type Topology } from './topology';
import { startServer, type TopologyServer } from './topology/acmedns';

jest.setTimeout(120_000);

const skip = topologySkipReason();
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`api check-delegation tests skipped: ${skip}`);

interface Finding {
  readonly ok: boolean;
  readonly text: string;
  readonly fix?: string;
}

suite('POST /account/check against the topology', () => {
  let topo: Topology;
  let server: TopologyServer;
  let account: Registration;
  let other: Registration;

  const check = async (who: Registration, domain: string): Promise<{ domain: string; findings: Finding[] }> => {
    const res = await send(server.api, { path: '/account/check', headers: authHeaders(who), body: JSON.stringify({ domain }) });
    expect([res.status, res.headers['content-type']]).toEqual([200, 'application/json']);
    return JSON.parse(res.body) as { domain: string; findings: Finding[] };
  };
  const failed = (findings: readonly Finding[]): Finding[] => findings.filter((f) => !f.ok);

  beforeAll(async () => {
    topo = await startTopology({ startPebble: false });
    // The topology's one daemon, asking the topology's unbound for the check.
    server = await startServer(topo, '', { api: `tls = "none"\ncheck_resolvers = ["${topo.addresses.unbound}"]` });
    account = await register(server.api);
    other = await register(server.api);
    expect((await update(server.api, account, txtValue('page-check'))).status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
    await topo?.stop();
  });

  test('before the CNAME: it fails and says which record to create, naming this account', async () => {
    const result = await check(account, 'web.example.test');
    expect(result.domain).toBe('web.example.test');
    expect(failed(result.findings)).toEqual([
      {
        ok: false,
        text: '_acme-challenge.web.example.test does not exist',
        fix: `create _acme-challenge.web.example.test. CNAME ${account.fulldomain}. (the fulldomain /register or "acmedns accounts create" gave your account)`,
      },
    ]);
    // The zone's delegation is still checked: our name server answers through the real path.
    expect(result.findings).toContainEqual({ ok: true, text: `name server ${NS_NAME} (${topo.addresses.acmedns}) answers for ${ZONE}: no TXT value` });
  });

  test('after the CNAME is added: every check passes, and the CNAME leads to this account', async () => {
    await topo.knot.setCname('_acme-challenge.web', account.fulldomain);
    const result = await check(account, '*.web.example.test');
    expect(result.domain).toBe('web.example.test');
    expect(result.findings).toEqual([
      { ok: true, text: `_acme-challenge.web.example.test is a CNAME to ${account.fulldomain}` },
      { ok: true, text: `an account has subdomain ${account.subdomain} (1 TXT value live)` },
      { ok: true, text: `${account.subdomain} is the account you are signed in with` },
      { ok: true, text: `name servers of ${ZONE}: ${NS_NAME}` },
      { ok: true, text: `name server ${NS_NAME} (${topo.addresses.acmedns}) answers for ${account.fulldomain}: 1 TXT value` },
      { ok: true, text: 'through the resolver _acme-challenge.web.example.test shows 1 TXT value (what a CA sees)' },
    ]);
  });

  test('another account asking about the same domain: the CNAME leads elsewhere, and the fix names its own name', async () => {
    const result = await check(other, 'web.example.test');
    expect(failed(result.findings)).toEqual([
      {
        ok: false,
        text: `the CNAME leads to account ${account.subdomain}, not to the account you are signed in with (${other.subdomain})`,
        fix: `make _acme-challenge.web.example.test a CNAME to ${other.fulldomain}.`,
      },
    ]);
  });

  test('a CNAME out of our zone: where it points and what it should point to', async () => {
    await topo.knot.setCname('_acme-challenge.away', 'elsewhere.example.test');
    const result = await check(account, 'away.example.test');
    expect(failed(result.findings)).toEqual([
      {
        ok: false,
        text: `the CNAME points to elsewhere.example.test, which is not in ${ZONE}`,
        fix: `make _acme-challenge.away.example.test a CNAME to ${account.fulldomain}`,
      },
    ]);
  });

  test('the values cleared through the API: the check still passes, with no value yet', async () => {
    expect((await send(server.api, { method: 'DELETE', path: '/account/txt', headers: authHeaders(account) })).status).toBe(204);
    const result = await check(account, 'web.example.test');
    expect(failed(result.findings)).toEqual([]);
    expect(result.findings).toContainEqual({ ok: true, text: `name server ${NS_NAME} (${topo.addresses.acmedns}) answers for ${account.fulldomain}: no TXT value yet` });
  });
});
