/**
 * GET and DELETE /account: the /update authentication chain (same 401, allowfrom applies), what
 * a client reads, and that a deleted account is gone for DNS and for its credentials; every
 * change through the API lands in the audit trail with the client's address.
 */
import { openSqliteStore } from '../src/store';
import { authHeaders, register, type Registration, send, txtValue } from './support/api-client';
import { rcodeOf, udpQuery } from './support/dns-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { startApi, type ApiHarness } from './support/api-harness';

const FORBIDDEN = '{"error": "forbidden"}';

describe('GET and DELETE /account: who may', () => {
  let api: ApiHarness;
  let user: Registration;
  let other: Registration;
  let elsewhere: Registration;
  let local: Registration;

  beforeAll(async () => {
    api = await startApi({ trustedProxies: ['127.0.0.1/32'], useHeader: true, headerName: 'X-Forwarded-For' });
    user = await register(api.url);
    other = await register(api.url);
    elsewhere = await register(api.url, ['192.0.2.0/24']);
    local = await register(api.url, ['127.0.0.0/8']);
  });
  afterAll(async () => {
    await api.stop();
  });

  type Case = [string, () => Record<string, string>, string];
  const refusals: Case[] = [
    ['no credentials', () => ({}), 'X-Api-User is not a UUID'],
    ['user not a UUID', () => ({ 'X-Api-User': 'nobody', 'X-Api-Key': user.password }), 'X-Api-User is not a UUID'],
    ['key not a key', () => ({ 'X-Api-User': user.username, 'X-Api-Key': 'short' }), 'X-Api-Key is not a key'],
    ['unknown user', () => ({ 'X-Api-User': crypto.randomUUID(), 'X-Api-Key': user.password }), 'unknown user'],
    ['wrong key', () => authHeaders(user, { 'X-Api-Key': 'x'.repeat(40) }), 'bad key'],
    ["someone else's key", () => authHeaders(user, { 'X-Api-Key': other.password }), 'bad key'],
    ['allowfrom without the client', () => authHeaders(elsewhere), 'ip not allowed: 127.0.0.1'],
    // The forwarded address counts only from a trusted proxy (127.0.0.1 is one here): 192.0.2.7 is the client.
    ['allowfrom without the forwarded client', () => authHeaders(local, { 'X-Forwarded-For': '192.0.2.7' }), 'ip not allowed: 192.0.2.7'],
  ];
  const rows = (['GET', 'DELETE'] as const).flatMap((method) => refusals.map(([name, headers, reason]): [string, string, () => Record<string, string>, string] => [method, name, headers, reason]));

  test.each(rows)('%s refused: %s', async (method, _name, headers, reason) => {
    const res = await send(api.url, { method, path: '/account', headers: headers() });
    expect(res.status).toBe(401);
    expect(res.body).toBe(FORBIDDEN);
    const line = api.logs.filter((l) => l.msg === 'api request' && l.route === '/account').at(-1);
    expect(line).toMatchObject({ status: 401, outcome: 'forbidden', reason });
    // Nothing was deleted by a refused request.
    await expect(api.store.findAccount(elsewhere.username)).resolves.toBeDefined();
    await expect(api.store.findAccount(user.username)).resolves.toBeDefined();
  });

  test('GET shows the live values newest first, allowfrom and names, never the key', async () => {
    for (const tag of ['one', 'two', 'three']) {
      expect((await send(api.url, { path: '/update', headers: authHeaders(local), body: JSON.stringify({ subdomain: local.subdomain, txt: txtValue(tag) }) })).status).toBe(200);
    }
    const res = await send(api.url, { method: 'GET', path: '/account', headers: authHeaders(local) });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    // The harness keeps 2 values per account; their times are pinned in test/api-self-service.test.ts.
    const body = JSON.parse(res.body) as { values: { updatedAt: string }[] };
    const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(body).toEqual({
      username: local.username,
      subdomain: local.subdomain,
      fulldomain: local.fulldomain,
      allowfrom: ['127.0.0.0/8'],
      txt: [txtValue('three'), txtValue('two')],
      values: [
        { value: txtValue('three'), updatedAt: iso },
        { value: txtValue('two'), updatedAt: iso },
      ],
      lastUpdate: body.values[0]?.updatedAt,
    });
    expect(res.body).not.toContain(local.password);
    const fresh = await send(api.url, { method: 'GET', path: '/account', headers: authHeaders(other) });
    expect(JSON.parse(fresh.body)).toMatchObject({ txt: [], values: [], lastUpdate: null, allowfrom: [] });
  });

  test('DELETE removes the account: 204, then its credentials get 401 everywhere', async () => {
    const doomed = await register(api.url);
    const res = await send(api.url, { method: 'DELETE', path: '/account', headers: authHeaders(doomed) });
    expect(res).toMatchObject({ status: 204, body: '' });
    await expect(api.store.findAccount(doomed.username)).resolves.toBeUndefined();
    for (const [method, path] of [['DELETE', '/account'], ['GET', '/account'], ['POST', '/update']] as const) {
      const again = await send(api.url, { method, path, headers: authHeaders(doomed), body: JSON.stringify({ subdomain: doomed.subdomain, txt: txtValue('x') }) });
      expect([method, again.status, again.body]).toEqual([method, 401, FORBIDDEN]);
    }
  });

  test('other methods on /account are 405 with the Allow header', async () => {
    const res = await send(api.url, { method: 'PUT', path: '/account', headers: authHeaders(user) });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('DELETE, GET, OPTIONS');
  });
});

describe('/account against the whole daemon: DNS and the audit trail', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon();
  });
  afterAll(async () => {
    await d.stop();
  });

  test('after DELETE the name is NXDOMAIN; register, update and delete are audited with the client address', async () => {
    const acct = await register(d.api);
    const up = await send(d.api, { path: '/update', headers: authHeaders(acct), body: JSON.stringify({ subdomain: acct.subdomain, txt: txtValue('live') }) });
    expect(up.status).toBe(200);
    const before = await udpQuery(d.dns, { name: `${acct.fulldomain}.`, type: 'TXT' });
    expect(rcodeOf(before)).toBe('NOERROR');
    expect((await send(d.api, { method: 'DELETE', path: '/account', headers: authHeaders(acct) })).status).toBe(204);
    expect(rcodeOf(await udpQuery(d.dns, { name: `${acct.fulldomain}.`, type: 'TXT' }))).toBe('NXDOMAIN');
    expect(rcodeOf(await udpQuery(d.dns, { name: `${acct.fulldomain}.`, type: 'A' }))).toBe('NXDOMAIN');

    const store = openSqliteStore({ file: d.dbFile, txt: { keep: 2, maxAgeSeconds: 0 }, zone: 'auth.example.org' });
    try {
      const entries = await store.listAudit({ username: acct.username, limit: 10 });
      expect(entries.map((e) => [e.action, e.subdomain, e.client, e.actor])).toEqual([
        ['account.created', acct.subdomain, '127.0.0.1', 'api'],
        ['txt.updated', acct.subdomain, '127.0.0.1', 'api'],
        ['account.deleted', acct.subdomain, '127.0.0.1', 'api'],
      ]);
      expect(JSON.stringify(entries)).not.toContain(acct.password);
      expect(JSON.stringify(entries)).not.toContain(txtValue('live'));
    } finally {
      await store.close();
    }
  });
});
