/**
 * The self-service routes (issue 13) on a real daemon: GET /status, GET /account's values with
 * their times, DELETE /account/txt (DNS stops serving the values), POST /account/key (the old key
 * 401, the new one 200), and POST /account/check's refusals and limits. Every authenticated route
 * refuses exactly as /update does; every change is audited with the client's address. The check
 * against a real delegation (knot, unbound) is test/api-check-delegation.test.ts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openSqliteStore } from '../src/store';
import { authHeaders, register, send, txtValue, type RawResponse, type Registration } from './support/api-client';
import { rcodeOf, txtValues, udpQuery } from './support/dns-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { freeDnsPort } from './support/ports';

const FORBIDDEN = '{"error": "forbidden"}';
const LIMITED = '{"error": "rate_limited"}';
const VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

/** A request of `method` to `route` with these headers (and body). */
const call = (d: TestDaemon, method: string, route: string, headers: Record<string, string>, body?: string, from?: string): Promise<RawResponse> =>
  send(d.api, { method, path: route, headers, ...(body === undefined ? {} : { body }), ...(from === undefined ? {} : { localAddress: from }) });

/** The audit trail of one account as (action, client, actor), oldest first. */
async function trail(d: TestDaemon, username: string): Promise<[string, string | null, string][]> {
  const store = openSqliteStore({ file: d.dbFile, txt: { keep: 4, maxAgeSeconds: 0 }, zone: 'auth.example.org' });
  try {
    return (await store.listAudit({ username, limit: 100 })).map((e) => [e.action, e.client, e.actor]);
  } finally {
    await store.close();
  }
}

describe('the self-service routes', () => {
  let d: TestDaemon;
  let dnsPort: number;
  beforeAll(async () => {
    // The check asks our own server as its resolver: real answers on loopback, never the machine's resolver.
    dnsPort = await freeDnsPort();
    d = await startTestDaemon({
      extra: '[ratelimit]\ncheck_per_hour = 1\ncheck_burst = 2\ncheck_per_address_per_hour = 1\ncheck_per_address_burst = 3\n',
      env: { ACMEDNS_GENERAL_LISTEN: `127.0.0.1:${dnsPort}`, ACMEDNS_API_CHECK_RESOLVERS: `127.0.0.1:${dnsPort}` },
    });
  });
  afterAll(async () => {
    await d?.stop();
  });

  test('GET /status: public, the zone, version, store, registration; no certificate of its own', async () => {
    const res = await call(d, 'GET', '/status', {});
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(JSON.parse(res.body)).toEqual({ zone: 'auth.example.org', version: VERSION, store: 'ready', registration: true, certificate: null });
  });

  test('GET /account: the values with their times, newest first, and the last update', async () => {
    const acct = await register(d.api);
    const empty = JSON.parse((await call(d, 'GET', '/account', authHeaders(acct))).body) as Record<string, unknown>;
    expect(empty).toMatchObject({ txt: [], values: [], lastUpdate: null });
    const before = Math.floor(Date.now() / 1000);
    for (const tag of ['first', 'second']) {
      expect((await call(d, 'POST', '/update', authHeaders(acct), JSON.stringify({ subdomain: acct.subdomain, txt: txtValue(tag) }))).status).toBe(200);
    }
    const after = Math.floor(Date.now() / 1000);
    const body = JSON.parse((await call(d, 'GET', '/account', authHeaders(acct))).body) as { txt: string[]; values: { value: string; updatedAt: string }[]; lastUpdate: string };
    expect(body.txt).toEqual([txtValue('second'), txtValue('first')]);
    expect(body.values.map((v) => v.value)).toEqual(body.txt);
    for (const v of body.values) {
      const seconds = Date.parse(v.updatedAt) / 1000;
      expect(seconds).toBeGreaterThanOrEqual(before);
      expect(seconds).toBeLessThanOrEqual(after);
    }
    expect(body.lastUpdate).toBe(body.values[0]?.updatedAt);
  });

  test('DELETE /account/txt: 204, DNS serves no value (NODATA, the name still exists), audited', async () => {
    const acct = await register(d.api);
    const other = await register(d.api);
    for (const a of [acct, other]) {
      expect((await call(d, 'POST', '/update', authHeaders(a), JSON.stringify({ subdomain: a.subdomain, txt: txtValue(a.subdomain) }))).status).toBe(200);
    }
    expect(txtValues(await udpQuery(d.dns, { name: `${acct.fulldomain}.`, type: 'TXT' }))).toEqual([txtValue(acct.subdomain)]);
    const res = await call(d, 'DELETE', '/account/txt', authHeaders(acct));
    expect([res.status, res.body]).toEqual([204, '']);
    const after = await udpQuery(d.dns, { name: `${acct.fulldomain}.`, type: 'TXT' });
    expect([rcodeOf(after), txtValues(after)]).toEqual(['NOERROR', []]);
    // Only its own values: the other account still serves.
    expect(txtValues(await udpQuery(d.dns, { name: `${other.fulldomain}.`, type: 'TXT' }))).toEqual([txtValue(other.subdomain)]);
    expect(JSON.parse((await call(d, 'GET', '/account', authHeaders(acct))).body)).toMatchObject({ txt: [], values: [], lastUpdate: null });
    // Nothing left: still 204.
    expect((await call(d, 'DELETE', '/account/txt', authHeaders(acct))).status).toBe(204);
    expect((await trail(d, acct.username)).filter(([action]) => action === 'txt.cleared')).toEqual([
      ['txt.cleared', '127.0.0.1', 'api'],
      ['txt.cleared', '127.0.0.1', 'api'],
    ]);
  });

  test('POST /account/key: a new key once; the old key gets 401, the new one 200; audited', async () => {
    const acct = await register(d.api);
    const res = await call(d, 'POST', '/account/key', authHeaders(acct));
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    const rotated = JSON.parse(res.body) as { username: string; password: string };
    expect(rotated.username).toBe(acct.username);
    expect(rotated.password).toMatch(/^[A-Za-z0-9_-]{40}$/);
    expect(rotated.password).not.toBe(acct.password);
    const update = (key: string): Promise<RawResponse> =>
      call(d, 'POST', '/update', authHeaders({ ...acct, password: key }), JSON.stringify({ subdomain: acct.subdomain, txt: txtValue('rotated') }));
    expect([(await update(acct.password)).status, (await update(acct.password)).body]).toEqual([401, FORBIDDEN]);
    expect((await call(d, 'GET', '/account', authHeaders(acct))).status).toBe(401);
    expect((await update(rotated.password)).status).toBe(200);
    expect((await call(d, 'GET', '/account', authHeaders({ ...acct, password: rotated.password }))).status).toBe(200);
    expect(await trail(d, acct.username)).toContainEqual(['password.rotated', '127.0.0.1', 'api']);
    expect(d.logText()).not.toContain(rotated.password);
  });

  describe('refused exactly as /update refuses', () => {
    let user: Registration;
    let other: Registration;
    let elsewhere: Registration;
    beforeAll(async () => {
      user = await register(d.api);
      other = await register(d.api);
      elsewhere = await register(d.api, ['192.0.2.0/24']);
    });

    const cases: [string, () => Record<string, string>][] = [
      ['no credentials', () => ({})],
      ['user not a UUID', () => ({ 'X-Api-User': 'nobody', 'X-Api-Key': user.password })],
      ['key not a key', () => ({ 'X-Api-User': user.username, 'X-Api-Key': 'short' })],
      ['unknown user', () => ({ 'X-Api-User': crypto.randomUUID(), 'X-Api-Key': user.password })],
      ['wrong key', () => authHeaders(user, { 'X-Api-Key': 'x'.repeat(40) })],
      ["someone else's key", () => authHeaders(user, { 'X-Api-Key': other.password })],
      ['allowfrom without the client', () => authHeaders(elsewhere)],
    ];
    const routes: [string, string, string | undefined][] = [
      ['DELETE', '/account/txt', undefined],
      ['POST', '/account/key', undefined],
      ['POST', '/account/check', '{"domain": "example.com"}'],
    ];
    const rows = routes.flatMap(([method, route, body]) => cases.map(([name, headers]) => [method, route, name, headers, body] as const));

    test.each(rows)('%s %s: %s', async (method, route, _name, headers, body) => {
      const reference = await call(d, 'POST', '/update', headers(), JSON.stringify({ subdomain: user.subdomain, txt: txtValue('no') }));
      const res = await call(d, method, route, headers(), body);
      expect([res.status, res.body, res.headers['content-type']]).toEqual([401, FORBIDDEN, 'application/json']);
      expect([reference.status, reference.body, reference.headers['content-type']]).toEqual([res.status, res.body, res.headers['content-type']]);
    });

    test('nothing changed for the refused: the key still works, allowfrom from its own range passes', async () => {
      expect((await call(d, 'GET', '/account', authHeaders(user))).status).toBe(200);
      const local = await register(d.api, ['127.0.0.0/8']);
      expect((await call(d, 'POST', '/account/key', authHeaders(local))).status).toBe(200);
    });
  });

  describe('POST /account/check', () => {
    let a: Registration;
    let b: Registration;
    beforeAll(async () => {
      a = await register(d.api);
      b = await register(d.api);
    });

    test.each<[string, string, string]>([
      ['not JSON', '{"domain": ', 'malformed_json_payload'],
      ['a JSON array', '["example.com"]', 'malformed_json_payload'],
      ['no domain', '{}', 'malformed_json_payload'],
      ['a number', '{"domain": 5}', 'malformed_json_payload'],
      ['an empty body', '', 'malformed_json_payload'],
      ['spaces in the name', '{"domain": "bad domain!"}', 'bad_domain'],
      ['an empty label', '{"domain": "a..example.com"}', 'bad_domain'],
      ['an empty name', '{"domain": ""}', 'bad_domain'],
      ['a label of 64 characters', `{"domain": "${'x'.repeat(64)}.example.com"}`, 'bad_domain'],
      ['a name of 300 characters', `{"domain": "${'abcdefghi.'.repeat(30)}com"}`, 'bad_domain'],
      ['a URL', '{"domain": "https://example.com/"}', 'bad_domain'],
    ])('%s: 400 %s, and no check spent', async (_name, body, code) => {
      const res = await call(d, 'POST', '/account/check', authHeaders(a), body);
      expect([res.status, res.body]).toEqual([400, `{"error": "${code}"}`]);
    });

    test('a body over max_body_bytes: 413', async () => {
      const body = JSON.stringify({ domain: 'example.com', pad: 'x'.repeat(70_000) });
      const res = await call(d, 'POST', '/account/check', authHeaders(a), body);
      expect([res.status, res.body]).toEqual([413, '{"error": "payload_too_large"}']);
    });

    test('the findings; then the limits per account and per address, 429 with Retry-After; another address unaffected', async () => {
      // After all the 400s above, a's two checks are still there: a bad body spends none.
      const first = await call(d, 'POST', '/account/check', authHeaders(a), '{"domain": "*.Shop.Example.COM."}');
      expect(first.status).toBe(200);
      expect(first.headers['cache-control']).toBe('no-store');
      const result = JSON.parse(first.body) as { domain: string; findings: { ok: boolean; text: string; fix?: string }[] };
      expect(result.domain).toBe('shop.example.com');
      // Our server is the resolver here: it refuses names outside its zone, and the check says so.
      expect(result.findings[0]).toEqual({
        ok: false,
        text: 'the resolver could not look up _acme-challenge.shop.example.com: the server refused the query (REFUSED)',
        fix: 'check the resolver, or the zone of that name',
      });
      expect(result.findings).toContainEqual({ ok: true, text: 'name servers of auth.example.org: ns1.auth.example.org' });

      expect((await call(d, 'POST', '/account/check', authHeaders(a), '{"domain": "example.com"}')).status).toBe(200);
      // a's burst (2) is spent: 429 whatever the address.
      const overAccount = await call(d, 'POST', '/account/check', authHeaders(a), '{"domain": "example.com"}', '127.0.0.2');
      expect([overAccount.status, overAccount.body]).toEqual([429, LIMITED]);
      expect(Number(overAccount.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(overAccount.headers['retry-after'])).toBeLessThanOrEqual(3600);
      // The address's burst is 3: b gets one more from 127.0.0.1, then the address is refused.
      expect((await call(d, 'POST', '/account/check', authHeaders(b), '{"domain": "example.com"}')).status).toBe(200);
      const overAddress = await call(d, 'POST', '/account/check', authHeaders(b), '{"domain": "example.com"}');
      expect([overAddress.status, overAddress.body]).toEqual([429, LIMITED]);
      expect(Number(overAddress.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // The address's refusal gave b's token back: from another address b still has one check.
      expect((await call(d, 'POST', '/account/check', authHeaders(b), '{"domain": "example.com"}', '127.0.0.3')).status).toBe(200);
      expect((await call(d, 'POST', '/account/check', authHeaders(b), '{"domain": "example.com"}', '127.0.0.3')).status).toBe(429);
      // The log says which limit refused.
      expect(d.logText()).toContain('too many delegation checks for this account');
      expect(d.logText()).toContain('too many delegation checks from this address');
    });
  });
});

describe('GET /status with registration disabled', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon({ env: { ACMEDNS_API_DISABLE_REGISTRATION: 'true' } });
  });
  afterAll(async () => {
    await d?.stop();
  });

  test('registration: false', async () => {
    expect(JSON.parse((await call(d, 'GET', '/status', {})).body)).toMatchObject({ registration: false, store: 'ready' });
  });
});
