/**
 * /update authentication and authorisation, in acme-dns's order (reference §1.2), and allowfrom
 * with and without use_header / trusted proxies (§1.4, with the header-spoofing hole closed).
 */
import { hashPassword } from '../src/core/credentials';
import { authHeaders, register, type Registration, send, txtValue } from './support/api-client';
import { startApi, type ApiHarness } from './support/api-harness';

const FORBIDDEN = '{"error": "forbidden"}';

/** An account put straight into the store, as an import from acme-dns would (entries unchecked). */
async function imported(api: ApiHarness, fields: { subdomain: string; allowFrom: string[] }): Promise<Registration> {
  const username = crypto.randomUUID();
  const password = 'Imported_account_password_0123456789-_AB';
  await api.store.createAccount({ username, passwordHash: await hashPassword(password), ...fields });
  return { username, password, subdomain: fields.subdomain, fulldomain: '', allowfrom: fields.allowFrom };
}

function update(api: ApiHarness, headers: Record<string, string>, body: string) {
  return send(api.url, { path: '/update', headers, body });
}

describe('the /update matrix (acme-dns TestApiManyUpdateWithCredentials and more)', () => {
  let api: ApiHarness;
  let user: Registration;
  let other: Registration;
  let restricted: Registration;
  let restrictedOk: Registration;
  let badSubdomain: Registration;
  const T = txtValue('matrix');

  beforeAll(async () => {
    api = await startApi();
    user = await register(api.url);
    other = await register(api.url);
    restricted = await imported(api, { subdomain: crypto.randomUUID(), allowFrom: ['192.168.1.1/32', 'invalid'] });
    restrictedOk = await imported(api, { subdomain: crypto.randomUUID(), allowFrom: ['127.0.0.1/32', 'invalid'] });
    badSubdomain = await imported(api, { subdomain: 'not_a_label', allowFrom: [] });
  });
  afterAll(async () => {
    await api.stop();
  });

  const body = (subdomain: string, txt: unknown = T): string => JSON.stringify({ subdomain, txt });

  type Case = [string, () => Record<string, string>, () => string, number, string, string?];
  const cases: Case[] = [
    ['non-UUID user, short key', () => ({ 'X-Api-User': 'non-uuid-user', 'X-Api-Key': 'tooshortpass' }), () => body('non-uuid-subdomain'), 401, FORBIDDEN, 'X-Api-User is not a UUID'],
    ['unknown user, short key', () => ({ 'X-Api-User': 'a097455b-52cc-4569-90c8-7a4b97c6eba8', 'X-Api-Key': 'tooshortpass' }), () => body('bb97455b-52cc-4569-90c8-7a4b97c6eba8'), 401, FORBIDDEN, 'X-Api-Key is not a key'],
    ['unknown user, well-formed key', () => ({ 'X-Api-User': 'a097455b-52cc-4569-90c8-7a4b97c6eba8', 'X-Api-Key': 'LongEnoughPassButNoUserExists___________' }), () => body('bb97455b-52cc-4569-90c8-7a4b97c6eba8'), 401, FORBIDDEN, 'unknown user'],
    ['right credentials, another subdomain', () => authHeaders(user), () => body('a097455b-52cc-4569-90c8-7a4b97c6eba8'), 401, FORBIDDEN, 'subdomain mismatch'],
    ["right credentials, someone else's subdomain", () => authHeaders(user), () => body(other.subdomain), 401, FORBIDDEN, 'subdomain mismatch'],
    ['right credentials, subdomain in upper case', () => authHeaders(user), () => body(user.subdomain.toUpperCase()), 401, FORBIDDEN, 'subdomain mismatch'],
    ['short txt', () => authHeaders(user), () => body(user.subdomain, 'tooshortfortxt'), 400, '{"error": "bad_txt"}'],
    ['numeric txt', () => authHeaders(user), () => body(user.subdomain, 1234567890), 400, '{"error": "bad_txt"}'],
    ['txt missing', () => authHeaders(user), () => JSON.stringify({ subdomain: user.subdomain }), 400, '{"error": "bad_txt"}'],
    ['txt with a dot', () => authHeaders(user), () => body(user.subdomain, `${T.slice(0, 42)}.`), 400, '{"error": "bad_txt"}'],
    ['valid', () => authHeaders(user), () => body(user.subdomain), 200, `{"txt": "${T}"}`],
    ['allowfrom does not hold the client', () => authHeaders(restricted), () => body(restricted.subdomain), 401, FORBIDDEN, 'ip not allowed: 127.0.0.1'],
    ['allowfrom holds the client (an invalid entry beside it is skipped)', () => authHeaders(restrictedOk), () => body(restrictedOk.subdomain), 200, `{"txt": "${T}"}`],
    ['wrong key', () => ({ ...authHeaders(user), 'X-Api-Key': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' }), () => body(user.subdomain), 401, FORBIDDEN, 'bad key'],
    ["someone else's key", () => ({ ...authHeaders(user), 'X-Api-Key': other.password }), () => body(user.subdomain), 401, FORBIDDEN, 'bad key'],
    ['no credentials at all', () => ({}), () => body(user.subdomain), 401, FORBIDDEN],
    ['key missing', () => ({ 'X-Api-User': user.username }), () => body(user.subdomain), 401, FORBIDDEN],
    ['header names in odd case', () => ({ 'x-api-user': user.username, 'X-API-KEY': user.password }), () => body(user.subdomain), 200, `{"txt": "${T}"}`],
    // the body is looked at only after authentication
    ['wrong key and a malformed body: 401, not 400', () => ({ ...authHeaders(user), 'X-Api-Key': other.password }), () => '{nonsense', 401, FORBIDDEN, 'bad key'],
    ['wrong key and a bad txt: 401', () => ({ ...authHeaders(user), 'X-Api-Key': other.password }), () => body(user.subdomain, 'short'), 401, FORBIDDEN],
    ['right key, invalid JSON: no subdomain, 401', () => authHeaders(user), () => `{"subdomain":"${user.subdomain}",`, 401, FORBIDDEN, 'subdomain mismatch'],
    ['right key, empty body: 401', () => authHeaders(user), () => '', 401, FORBIDDEN, 'subdomain mismatch'],
    ['right key, wrong subdomain and a bad txt: 401 first', () => authHeaders(user), () => body(other.subdomain, 'short'), 401, FORBIDDEN],
    ['a stored subdomain that is not a label: 400 bad_subdomain', () => authHeaders(badSubdomain), () => body('not_a_label'), 400, '{"error": "bad_subdomain"}'],
  ];

  // Every row gets six entries, so that jest never hands a done callback to the test.
  const rows = cases.map((c): [string, () => Record<string, string>, () => string, number, string, string | null] => [c[0], c[1], c[2], c[3], c[4], c[5] ?? null]);
  test.each(rows)('%s -> %d', async (_name, headers, makeBody, status, expected, reason) => {
    const res = await update(api, headers(), makeBody());
    expect(res.status).toBe(status);
    expect(res.body).toBe(expected);
    expect(res.headers['content-type']).toBe('application/json');
    const line = api.logs.filter((l) => l.msg === 'api request').at(-1);
    expect(line?.status).toBe(status);
    expect(line?.route).toBe('/update');
    expect(line?.client).toBe('127.0.0.1');
    if (reason !== null) expect(line?.reason).toBe(reason);
  });

  test('each request is logged once, and no key or password ever reaches the log', () => {
    const lines = api.logs.filter((l) => l.msg === 'api request' && l.route === '/update');
    expect(lines).toHaveLength(cases.length);
    const text = api.logText();
    for (const secret of [user.password, other.password, restricted.password]) expect(text).not.toContain(secret);
  });

  test('the value was stored before the 200 came back', async () => {
    const data = await api.store.lookup(user.subdomain, Math.floor(Date.now() / 1000));
    expect(data?.values).toContain(T);
  });
});

describe('allowfrom against the direct peer (use_header = false)', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({ useHeader: false, trustedProxies: ['127.0.0.1/32'] });
  });
  afterAll(async () => {
    await api.stop();
  });

  test.each<[string[], Record<string, string>, number]>([
    [['127.0.0.1/32'], {}, 200],
    [['127.0.0.0/8', '10.0.0.0/8'], {}, 200],
    [['10.0.0.0/8'], {}, 401],
    [['::1/128'], {}, 401],
    // the header is not consulted at all
    [['10.0.0.0/8'], { 'X-Forwarded-For': '10.0.0.1' }, 401],
  ])('allowfrom %j, extra headers %j -> %d', async (allowfrom, extra, status) => {
    const acct = await register(api.url, allowfrom);
    const res = await update(api, authHeaders(acct, extra), JSON.stringify({ subdomain: acct.subdomain, txt: txtValue('peer') }));
    expect(res.status).toBe(status);
  });
});

describe('allowfrom over IPv6 loopback', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({ ip: '::1' });
  });
  afterAll(async () => {
    await api.stop();
  });

  test.each<[string[], number]>([
    [['::1/128'], 200],
    [['[::1]/64'], 200],
    [['127.0.0.1/32'], 401],
  ])('allowfrom %j from ::1 -> %d', async (allowfrom, status) => {
    expect(api.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    const acct = await register(api.url, allowfrom);
    const res = await update(api, authHeaders(acct), JSON.stringify({ subdomain: acct.subdomain, txt: txtValue('v6') }));
    expect(res.status).toBe(status);
  });
});

describe('use_header with trusted proxies', () => {
  type Row = [string, string[], Record<string, string>, number];
  const run = (apiRef: () => ApiHarness) => async (_n: string, allowfrom: string[], extra: Record<string, string>, status: number) => {
    const api = apiRef();
    const acct = allowfrom.length ? await register(api.url, allowfrom) : await register(api.url);
    const res = await update(api, authHeaders(acct, extra), JSON.stringify({ subdomain: acct.subdomain, txt: txtValue('hdr') }));
    expect(res.status).toBe(status);
  };

  describe('the peer (127.0.0.1) is a trusted proxy', () => {
    let api: ApiHarness;
    beforeAll(async () => {
      api = await startApi({ useHeader: true, headerName: 'X-Forwarded-For', trustedProxies: ['127.0.0.1/32'] });
    });
    afterAll(async () => {
      await api.stop();
    });
    test.each<Row>([
      ['unrestricted account, any header', [], { 'X-Forwarded-For': 'whatever goes' }, 200],
      ['unrestricted account, a list', [], { 'X-Forwarded-For': '10.0.0.1, 1.2.3.4 ,3.4.5.6' }, 200],
      ['the forwarded client is allowed', ['192.168.1.2/32'], { 'X-Forwarded-For': '192.168.1.2' }, 200],
      ['the forwarded client is not allowed', ['192.168.1.2/32'], { 'X-Forwarded-For': '127.0.0.1' }, 401],
      ['none of the list is allowed', ['192.168.1.2/32'], { 'X-Forwarded-For': '10.0.0.1, 10.0.0.2, 192.168.1.3' }, 401],
      // acme-dns answers 200 here: the client put an allowed address in front of its own
      ['bypass attempt: allowed address prepended (acme-dns test header)', ['192.168.1.2/32'], { 'X-Forwarded-For': '10.1.1.1 ,192.168.1.2, 8.8.8.8' }, 401],
      ['bypass attempt: allowed address first, real client appended', ['192.168.1.2/32'], { 'X-Forwarded-For': '192.168.1.2, 203.0.113.9' }, 401],
      ['IPv6 in the header', ['2002:c0a8::0/32'], { 'X-Forwarded-For': '2002:c0a8:b4dc:0d3::0' }, 200],
      ['IPv6 outside', ['2002:c0a8::0/32'], { 'X-Forwarded-For': '2002:c0a7:0ff::0' }, 401],
      ['header absent: the peer counts', ['127.0.0.1/32'], {}, 200],
      ['header absent: the peer counts (not allowed)', ['192.168.1.2/32'], {}, 401],
    ])('%s -> %d', run(() => api));

    test('the log names the forwarded client', async () => {
      const acct = await register(api.url, ['192.168.1.2/32']);
      await update(api, authHeaders(acct, { 'X-Forwarded-For': '192.168.1.2, 203.0.113.9' }), JSON.stringify({ subdomain: acct.subdomain, txt: txtValue('log') }));
      const line = api.logs.filter((l) => l.msg === 'api request').at(-1);
      expect(line).toMatchObject({ client: '203.0.113.9', peer: '127.0.0.1', status: 401, reason: 'ip not allowed: 203.0.113.9' });
    });
  });

  describe('the peer is not a trusted proxy: the header is ignored', () => {
    let api: ApiHarness;
    beforeAll(async () => {
      api = await startApi({ useHeader: true, headerName: 'X-Forwarded-For', trustedProxies: ['192.0.2.0/24'] });
    });
    afterAll(async () => {
      await api.stop();
    });
    test.each<Row>([
      ['spoofed allowed address', ['192.168.1.2/32'], { 'X-Forwarded-For': '192.168.1.2' }, 401],
      ['the real peer is allowed whatever the header says', ['127.0.0.1/32'], { 'X-Forwarded-For': '8.8.8.8' }, 200],
    ])('%s -> %d', run(() => api));
  });

  describe('a custom header_name (X-Real-IP)', () => {
    let api: ApiHarness;
    beforeAll(async () => {
      api = await startApi({ useHeader: true, headerName: 'X-Real-IP', trustedProxies: ['127.0.0.1'] });
    });
    afterAll(async () => {
      await api.stop();
    });
    test.each<Row>([
      ['X-Real-IP counts', ['10.1.2.3/32'], { 'X-Real-IP': '10.1.2.3' }, 200],
      ['X-Forwarded-For does not', ['10.1.2.3/32'], { 'X-Forwarded-For': '10.1.2.3' }, 401],
    ])('%s -> %d', run(() => api));
  });
});
