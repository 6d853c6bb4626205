/**
 * lego's httpreq protocol on acme-dns accounts: POST /present and /cleanup with HTTP Basic
 * username:password, authenticated exactly as /update (same 401, allowfrom, reasons in the log),
 * the 43-character value rule, RAW mode, and the account's own name changed whatever fqdn says.
 */
import { hashPassword } from '../src/core/credentials';
import { dns01Value } from '../src/api/bodies/httpreq';
import { register, type Registration, send, txtValue } from './support/api-client';
import { startApi, type ApiHarness } from './support/api-harness';

const FORBIDDEN = '{"error": "forbidden"}';
const NOW = (): number => Math.floor(Date.now() / 1000);

/** An Authorization header as lego's SetBasicAuth writes it. */
function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function post(api: ApiHarness, path: string, headers: Record<string, string>, body: string) {
  return send(api.url, { path, headers: { 'Content-Type': 'application/json', ...headers }, body });
}

describe('httpreq authentication and validation (the /update chain)', () => {
  let api: ApiHarness;
  let user: Registration;
  let other: Registration;
  let restricted: Registration;
  const V = txtValue('httpreq');

  beforeAll(async () => {
    api = await startApi();
    user = await register(api.url);
    other = await register(api.url);
    const username = crypto.randomUUID();
    const password = 'Restricted_account_password_0123456789_A';
    await api.store.createAccount({ username, passwordHash: await hashPassword(password), subdomain: crypto.randomUUID(), allowFrom: ['192.0.2.0/24'] });
    restricted = { username, password, subdomain: '', fulldomain: '', allowfrom: ['192.0.2.0/24'] };
  });
  afterAll(async () => {
    await api.stop();
  });

  const body = (value: unknown = V): string => JSON.stringify({ fqdn: '_acme-challenge.example.com.', value });

  type Case = [string, () => Record<string, string>, () => string, number, string | null, string | null];
  const cases: Case[] = [
    ['no Authorization', () => ({}), () => body(), 401, FORBIDDEN, 'X-Api-User is not a UUID'],
    ['a Bearer token', () => ({ Authorization: `Bearer ${user.password}` }), () => body(), 401, FORBIDDEN, 'X-Api-User is not a UUID'],
    ['Basic without a colon', () => ({ Authorization: `Basic ${Buffer.from(user.username).toString('base64')}` }), () => body(), 401, FORBIDDEN, null],
    ['Basic that is not base64', () => ({ Authorization: 'Basic !!!' }), () => body(), 401, FORBIDDEN, null],
    ['unknown user', () => ({ Authorization: basic('a097455b-52cc-4569-90c8-7a4b97c6eba8', user.password) }), () => body(), 401, FORBIDDEN, 'unknown user'],
    ['short password', () => ({ Authorization: basic(user.username, 'short') }), () => body(), 401, FORBIDDEN, 'X-Api-Key is not a key'],
    ["someone else's password", () => ({ Authorization: basic(user.username, other.password) }), () => body(), 401, FORBIDDEN, 'bad key'],
    ['allowfrom does not hold the client', () => ({ Authorization: basic(restricted.username, restricted.password) }), () => body(), 401, FORBIDDEN, 'ip not allowed: 127.0.0.1'],
    ['wrong password and a malformed body: 401 first', () => ({ Authorization: basic(user.username, other.password) }), () => '{nonsense', 401, FORBIDDEN, 'bad key'],
    ['malformed body', () => ({ Authorization: basic(user.username, user.password) }), () => '{nonsense', 400, '{"error": "malformed_json_payload"}', null],
    ['a JSON array', () => ({ Authorization: basic(user.username, user.password) }), () => '[]', 400, '{"error": "malformed_json_payload"}', null],
    ['value missing', () => ({ Authorization: basic(user.username, user.password) }), () => '{"fqdn":"x."}', 400, '{"error": "bad_txt"}', null],
    ['value too short', () => ({ Authorization: basic(user.username, user.password) }), () => body('short'), 400, '{"error": "bad_txt"}', null],
    ['value not a string', () => ({ Authorization: basic(user.username, user.password) }), () => body(12345), 400, '{"error": "bad_txt"}', null],
    ['scheme in lower case', () => ({ Authorization: basic(user.username, user.password).replace('Basic', 'basic') }), () => body(), 200, null, null],
  ];

  test.each(['/present', '/cleanup'])('%s: every row of the matrix', async (path) => {
    for (const [what, headers, makeBody, status, expected, reason] of cases) {
      const res = await post(api, path, headers(), makeBody());
      expect({ what, status: res.status }).toEqual({ what, status });
      if (expected !== null) expect(res.body).toBe(expected);
      const line = api.logs.filter((l) => l.msg === 'api request').at(-1);
      expect({ what, route: line?.route, status: line?.status }).toEqual({ what, route: path, status });
      if (reason !== null) expect({ what, reason: line?.reason }).toEqual({ what, reason });
    }
  });

  test('no password ever reaches the log', () => {
    for (const secret of [user.password, other.password, restricted.password]) expect(api.logText()).not.toContain(secret);
  });
});

describe('httpreq present and cleanup on the account name', () => {
  let api: ApiHarness;
  let user: Registration;
  let other: Registration;

  beforeAll(async () => {
    api = await startApi();
    user = await register(api.url);
    other = await register(api.url);
  });
  afterAll(async () => {
    await api.stop();
  });

  const auth = (r: Registration): Record<string, string> => ({ Authorization: basic(r.username, r.password) });

  test("present writes the account's own name, whatever fqdn names; cleanup removes only that value", async () => {
    const [a, b] = [txtValue('present-a'), txtValue('present-b')];
    // lego sends the name it resolved (here: someone else's name); only the account's name changes.
    const res = await post(api, '/present', auth(user), JSON.stringify({ fqdn: `${other.fulldomain}.`, value: a }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ fqdn: `${user.fulldomain}.`, value: a });
    expect((await post(api, '/present', auth(user), JSON.stringify({ fqdn: 'x.', value: b }))).status).toBe(200);
    expect((await api.store.lookup(user.subdomain, NOW()))?.values).toEqual([b, a]);
    expect((await api.store.lookup(other.subdomain, NOW()))?.values).toEqual([]);

    const cleaned = await post(api, '/cleanup', auth(user), JSON.stringify({ fqdn: 'anything.', value: a }));
    expect(cleaned.status).toBe(200);
    expect(JSON.parse(cleaned.body)).toEqual({ fqdn: `${user.fulldomain}.`, value: a, removed: true });
    expect((await api.store.lookup(user.subdomain, NOW()))?.values).toEqual([b]);
    // Again: already gone is still success (lego would otherwise report a failed cleanup).
    const again = await post(api, '/cleanup', auth(user), JSON.stringify({ fqdn: 'anything.', value: a }));
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ removed: false });
  });

  test('RAW mode: the value is the DNS-01 digest of keyAuth (RFC 8555 §8.4)', async () => {
    const keyAuth = 'token-123.thumbprint-456';
    // Computed independently: base64url(sha256(keyAuth)) without padding, by Python's hashlib.
    expect(dns01Value(keyAuth)).toBe('MQS8h0FH5QtMWYFDUOgGc9zkkI7RCKXONcwUG7P6Apk');
    const res = await post(api, '/present', auth(other), JSON.stringify({ domain: 'example.com', token: 'token-123', keyAuth }));
    expect(res.status).toBe(200);
    expect((await api.store.lookup(other.subdomain, NOW()))?.values).toEqual([dns01Value(keyAuth)]);
    expect((await post(api, '/cleanup', auth(other), JSON.stringify({ domain: 'example.com', token: 'token-123', keyAuth }))).status).toBe(200);
    expect((await api.store.lookup(other.subdomain, NOW()))?.values).toEqual([]);
  });

  test('both are audited with the client address, never with the value', async () => {
    const entries = await api.store.listAudit({ username: user.username, limit: 100 });
    expect(entries.map((e) => [e.action, e.actor, e.client])).toEqual([
      ['account.created', 'api', '127.0.0.1'],
      ['txt.updated', 'api', '127.0.0.1'],
      ['txt.updated', 'api', '127.0.0.1'],
      ['txt.removed', 'api', '127.0.0.1'],
    ]);
    expect(JSON.stringify(entries)).not.toContain(txtValue('present-a'));
  });

  test('wrong methods get 405 with Allow, as every route', async () => {
    const res = await send(api.url, { method: 'GET', path: '/present' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('OPTIONS, POST');
  });
});
