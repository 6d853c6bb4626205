/**
 * POST, GET and DELETE /account/tsig through the real API on 127.0.0.1 and the SQLite store:
 * authenticated as /update (same 401, allowfrom, failed-authentication limits), the secret once
 * in the 201 and nowhere else (list, log), another account's keys out of reach, the cap, the
 * write budget, the body rules, and each change audited with actor api.
 */
import { parseConfig } from '../src/config';
import type { RateLimitConfig } from '../src/config/types';
import { hashPassword } from '../src/core/credentials';
import { authHeaders, register, send, type RawResponse, type Registration } from './support/api-client';
import { DOMAIN, startApi, type ApiHarness } from './support/api-harness';

const FORBIDDEN = '{"error": "forbidden"}';
const MALFORMED = '{"error": "malformed_json_payload"}';
const SERVER = { host: 'ns1.auth.example.org', port: 5353 };

/** The 201's body (the fields these tests read). */
interface KeyDoc {
  name: string;
  algorithm: string;
  secret: string;
  fqdn: string;
  server: string;
  zone: string;
  settings: { lego: Record<string, string> | null; nsupdateKey: string; certManager: { tsigAlgorithm: string } | null };
}

type Method = 'POST' | 'GET' | 'DELETE';
const call = (api: ApiHarness, method: Method, account: Pick<Registration, 'username' | 'password'> | undefined, body?: string, from?: string): Promise<RawResponse> =>
  send(api.url, {
    method,
    path: '/account/tsig',
    headers: account === undefined ? {} : authHeaders(account),
    ...(body === undefined ? {} : { body }),
    ...(from === undefined ? {} : { localAddress: from }),
  });
const add = async (api: ApiHarness, account: Registration, body?: string): Promise<KeyDoc> => {
  const res = await call(api, 'POST', account, body);
  expect([res.status, res.headers['content-type']]).toEqual([201, 'application/json']);
  return JSON.parse(res.body) as KeyDoc;
};

describe('/account/tsig', () => {
  let api: ApiHarness;
  let user: Registration;
  let other: Registration;
  beforeAll(async () => {
    api = await startApi({ maxBodyBytes: 256 }, { rfc2136Server: SERVER });
    [user, other] = [await register(api.url), await register(api.url)];
  });
  afterAll(async () => {
    await api.stop();
  });

  test('POST: 201 with the key once, the account name and the settings, not to be cached; the store holds that key; audited', async () => {
    const res = await call(api, 'POST', user);
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const doc = JSON.parse(res.body) as KeyDoc;
    expect(Object.keys(doc)).toEqual(['name', 'algorithm', 'secret', 'fqdn', 'server', 'zone', 'settings']);
    expect(doc).toMatchObject({ algorithm: 'hmac-sha256', fqdn: user.fulldomain, server: 'ns1.auth.example.org:5353', zone: DOMAIN });
    expect(doc.name).toMatch(new RegExp(`^[0-9a-f]{8}\\.${user.subdomain}\\.auth\\.example\\.org$`));
    expect(doc.settings.lego).toMatchObject({ RFC2136_NAMESERVER: 'ns1.auth.example.org:5353', RFC2136_TSIG_SECRET: doc.secret, RFC2136_TSIG_KEY: `${doc.name}.` });
    expect(doc.settings.certManager?.tsigAlgorithm).toBe('HMACSHA256');
    const stored = await api.store.findTsigKey(doc.name);
    expect(stored).toMatchObject({ username: user.username, algorithm: 'hmac-sha256' });
    expect(stored?.secret.toString('base64')).toBe(doc.secret);
    expect(stored?.secret.length).toBe(32);
    const audit = await api.store.listAudit({ username: user.username, limit: 100 });
    expect(audit.filter((e) => e.action === 'tsig.added').map((e) => [e.actor, e.client, JSON.parse(e.detail ?? '{}')])).toEqual([
      ['api', '127.0.0.1', { name: doc.name, algorithm: 'hmac-sha256' }],
    ]);
  });

  test.each<[string, string | undefined, string, number]>([
    ['no body', undefined, 'hmac-sha256', 32],
    ['an empty object', '{}', 'hmac-sha256', 32],
    ['null algorithm', '{"algorithm": null}', 'hmac-sha256', 32],
    ['a key in any case, an algorithm with its final dot', '{"Algorithm": "HMAC-SHA512."}', 'hmac-sha512', 64],
    ['md5 by its wire name', '{"algorithm": "hmac-md5.sig-alg.reg.int"}', 'hmac-md5', 16],
    ['hmac-sha384 (cert-manager has no name for it)', '{"algorithm": "hmac-sha384"}', 'hmac-sha384', 48],
  ])('POST with %s -> %s', async (_name, body, algorithm, bytes) => {
    const acct = await register(api.url);
    const doc = await add(api, acct, body);
    expect(doc.algorithm).toBe(algorithm);
    expect(Buffer.from(doc.secret, 'base64').length).toBe(bytes);
    expect(doc.settings.certManager === null).toBe(algorithm === 'hmac-sha384');
    // lego (miekg/dns) cannot sign with hmac-md5: the settings offer it nothing rather than a failing environment.
    expect(doc.settings.lego === null).toBe(algorithm === 'hmac-md5');
  });

  test.each<[string, string, number, string]>([
    ['an algorithm we do not offer', '{"algorithm": "hmac-sha3"}', 400, '{"error": "bad_tsig_algorithm"}'],
    ['an algorithm that is no string', '{"algorithm": 256}', 400, MALFORMED],
    ['a JSON array', '[]', 400, MALFORMED],
    ['no JSON', 'algorithm=hmac-sha256', 400, MALFORMED],
    ['a body over max_body_bytes', JSON.stringify({ algorithm: 'x'.repeat(300) }), 413, '{"error": "payload_too_large"}'],
  ])('POST with %s -> %d, nothing stored', async (_name, body, status, reply) => {
    const acct = await register(api.url);
    const res = await call(api, 'POST', acct, body);
    expect([res.status, res.body]).toEqual([status, reply]);
    expect(await api.store.listTsigKeys(acct.username)).toEqual([]);
  });

  test('authenticated exactly as /update: every failure the same 401 for every method, nothing changed; the body is read only after', async () => {
    const restricted = { username: crypto.randomUUID(), password: 'Imported_account_password_0123456789-_AB' };
    await api.store.createAccount({ username: restricted.username, passwordHash: await hashPassword(restricted.password), subdomain: crypto.randomUUID(), allowFrom: ['192.0.2.0/24'] });
    const key = await add(api, user);
    const failures: [string, Pick<Registration, 'username' | 'password'> | undefined][] = [
      ['no credentials', undefined],
      ['a wrong key', { username: user.username, password: 'w'.repeat(40) }],
      ['an unknown user', { username: crypto.randomUUID(), password: user.password }],
      ['a malformed user', { username: 'nope', password: user.password }],
      ['an address outside allowfrom', restricted],
    ];
    for (const [name, creds] of failures) {
      for (const [method, body] of [
        ['POST', 'not json'],
        ['GET', undefined],
        ['DELETE', JSON.stringify({ name: key.name })],
      ] as const) {
        const res = await call(api, method, creds, body);
        expect([name, method, res.status, res.body]).toEqual([name, method, 401, FORBIDDEN]);
      }
    }
    await expect(api.store.findTsigKey(key.name)).resolves.toBeDefined();
    expect(await api.store.listTsigKeys(restricted.username)).toEqual([]);
  });

  test("GET: the account's own keys, names and algorithms and times; never a secret", async () => {
    const acct = await register(api.url);
    const a = await add(api, acct);
    const b = await add(api, acct, '{"algorithm": "hmac-sha1"}');
    const theirs = await add(api, other);
    const res = await call(api, 'GET', acct);
    expect(res.status).toBe(200);
    const listed = JSON.parse(res.body) as { fqdn: string; keys: { name: string; algorithm: string; created: string }[] };
    expect(listed.fqdn).toBe(acct.fulldomain);
    // Oldest first to the second; keys of the same second in the store's order.
    expect(listed.keys.map((k) => [k.name, k.algorithm]).sort()).toEqual(
      [
        [a.name, 'hmac-sha256'],
        [b.name, 'hmac-sha1'],
      ].sort(),
    );
    for (const k of listed.keys) expect(Object.keys(k)).toEqual(['name', 'algorithm', 'created']);
    for (const secret of [a.secret, b.secret, theirs.secret]) expect(res.body).not.toContain(secret);
  });

  test("DELETE: another account's key is 404 and stays; the own key by any spelling 204, then 404; audited", async () => {
    const acct = await register(api.url);
    const mine = await add(api, acct);
    const theirs = await add(api, other);
    const refused = await call(api, 'DELETE', acct, JSON.stringify({ name: theirs.name }));
    expect([refused.status, refused.body]).toEqual([404, '{"error": "tsig_key_not_found"}']);
    await expect(api.store.findTsigKey(theirs.name)).resolves.toMatchObject({ username: other.username });
    const gone = await call(api, 'DELETE', acct, JSON.stringify({ Name: `${mine.name.toUpperCase()}.` }));
    expect([gone.status, gone.body]).toEqual([204, '']);
    await expect(api.store.findTsigKey(mine.name)).resolves.toBeUndefined();
    expect((await call(api, 'DELETE', acct, JSON.stringify({ name: mine.name }))).status).toBe(404);
    const audit = await api.store.listAudit({ username: acct.username, limit: 100 });
    expect(audit.filter((e) => e.action === 'tsig.removed').map((e) => [e.actor, JSON.parse(e.detail ?? '{}')])).toEqual([['api', { name: mine.name, algorithm: 'hmac-sha256' }]]);
  });

  test.each<[string, string | undefined]>([
    ['no body', undefined],
    ['no name', '{"nombre": "x"}'],
    ['a name that is no string', '{"name": 1}'],
  ])('DELETE with %s -> 400 malformed_json_payload', async (_name, body) => {
    const res = await call(api, 'DELETE', user, body);
    expect([res.status, res.body]).toEqual([400, MALFORMED]);
  });

  test('the cap: ten keys, then 409 tsig_key_limit and nothing more; one removed makes room', async () => {
    const acct = await register(api.url);
    const keys = [];
    for (let i = 0; i < 10; i++) keys.push(await add(api, acct));
    const refused = await call(api, 'POST', acct);
    expect([refused.status, refused.body]).toEqual([409, '{"error": "tsig_key_limit"}']);
    expect((await api.store.listTsigKeys(acct.username)).length).toBe(10);
    expect((await call(api, 'DELETE', acct, JSON.stringify({ name: keys[0]?.name }))).status).toBe(204);
    expect((await call(api, 'POST', acct)).status).toBe(201);
  });

  test('methods: 405 with Allow for others, OPTIONS 200 with Allow, HEAD 405', async () => {
    const put = await send(api.url, { method: 'PUT', path: '/account/tsig', headers: authHeaders(user) });
    expect([put.status, put.headers.allow]).toEqual([405, 'DELETE, GET, OPTIONS, POST']);
    const options = await send(api.url, { method: 'OPTIONS', path: '/account/tsig' });
    expect([options.status, options.headers.allow, options.body]).toEqual([200, 'DELETE, GET, OPTIONS, POST', '']);
    expect((await send(api.url, { method: 'HEAD', path: '/account/tsig', headers: authHeaders(user) })).status).toBe(405);
    expect((await send(api.url, { method: 'GET', path: '//account/tsig/', headers: authHeaders(user) })).status).toBe(200);
  });

  test('the log has a line per request and never a secret', async () => {
    const acct = await register(api.url);
    const doc = await add(api, acct);
    await call(api, 'GET', acct);
    await call(api, 'DELETE', acct, JSON.stringify({ name: doc.name }));
    const lines = api.logs.filter((l) => l.route === '/account/tsig' && (l.client as string) === '127.0.0.1');
    expect(lines.map((l) => `${l.method as string} ${l.status as number}`)).toEqual(expect.arrayContaining(['POST 201', 'GET 200', 'DELETE 204']));
    expect(api.logText()).not.toContain(doc.secret);
    expect(api.logText()).not.toContain(acct.password);
  });
});

describe('/account/tsig under the limits', () => {
  let clock = 0;
  let api: ApiHarness;
  const limits = (overrides: string): RateLimitConfig =>
    parseConfig(`[general]\ndomain = "auth.example.org"\n[database]\nengine = "sqlite"\nconnection = "x.db"\n[ratelimit]\n${overrides}\n`, {}).ratelimit;
  beforeAll(async () => {
    api = await startApi({ maxConnectionsPerAddress: 0 }, { rateLimit: limits('auth_failures = 3\nupdate_burst = 3\nupdate_per_hour = 60'), limitClock: () => clock });
  });
  afterAll(async () => {
    await api.stop();
  });

  test("failed authentications count as on /update: the pair's allowance spent, even the right key gets 429", async () => {
    const acct = await register(api.url);
    const wrong = { username: acct.username, password: 'w'.repeat(40) };
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(api, 'POST', wrong, undefined, '127.0.4.1')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const right = await call(api, 'POST', acct, undefined, '127.0.4.1');
    expect([right.status, right.body]).toEqual([429, '{"error": "rate_limited"}']);
    expect(await api.store.listTsigKeys(acct.username)).toEqual([]);
    expect((await call(api, 'POST', acct, undefined, '127.0.4.2')).status).toBe(201);
  });

  test('creating and removing keys spend the write budget (shared with /update); listing does not', async () => {
    const acct = await register(api.url);
    const doc = await add(api, acct);
    expect((await call(api, 'DELETE', acct, JSON.stringify({ name: doc.name }))).status).toBe(204);
    expect((await call(api, 'POST', acct)).status).toBe(201);
    const refused = await call(api, 'POST', acct);
    expect([refused.status, refused.headers['retry-after']]).toEqual([429, '60']);
    expect((await api.store.listTsigKeys(acct.username)).length).toBe(1);
    expect((await call(api, 'GET', acct)).status).toBe(200);
    clock += 60;
    expect((await call(api, 'POST', acct)).status).toBe(201);
  });
});
