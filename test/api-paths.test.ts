/**
 * A reverse proxy's path rules cannot be walked around: a path the proxy reads as something else
 * (percent-encoded, other case, dot segments) is a 404 here too and changes nothing, while the two
 * shapes real clients send (`//update`, `/update/`; clients.md §9) keep working.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { authHeaders, register, send, txtValue } from './support/api-client';
import { startApi, type ApiHarness } from './support/api-harness';

/** Paths that a proxy denying exactly `/register` lets through, and that must not register. */
const REGISTER_DISGUISES = [
  '/%72egister',
  '/REGISTER',
  '/Register',
  '/x/../register',
  '/%2e%2e/register',
  '/./register',
  '/register/.',
  '/register%2f',
  '/register//x/..',
  '/register\\',
  'http://auth.example.org/x/../register',
];

describe('path shapes', () => {
  let api: ApiHarness;
  const accounts = (): number => {
    const db = new Database(path.join(api.dir, 'api.db'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.stop();
  });

  test.each(REGISTER_DISGUISES)('POST %s -> the plain 404, and no account is created', async (disguise) => {
    const before = accounts();
    const res = await send(api.url, { path: disguise, headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect([res.status, res.body, res.headers['content-type']]).toEqual([404, '404 page not found\n', 'text/plain; charset=utf-8']);
    expect(res.headers.location).toBeUndefined();
    expect(accounts()).toBe(before);
  });

  test.each(['/UPDATE', '/%75pdate', '/x/../update', '/%2e%2e/update'])('POST %s -> 404, the value is not stored', async (disguise) => {
    const acct = await register(api.url);
    const res = await send(api.url, { path: disguise, headers: authHeaders(acct), body: JSON.stringify({ subdomain: acct.subdomain, txt: txtValue('x') }) });
    expect(res.status).toBe(404);
    expect(await api.store.lookup(acct.subdomain, Math.floor(Date.now() / 1000))).toEqual({ values: [] });
  });

  test.each(['/register', '//register', '/register/', '///register'])('POST %s registers exactly one account', async (shape) => {
    const before = accounts();
    const res = await send(api.url, { path: shape });
    expect(res.status).toBe(201);
    expect(accounts()).toBe(before + 1);
  });

  test.each(['//update', '/update/', '//update/'])('POST %s updates as /update does', async (shape) => {
    const acct = await register(api.url);
    const value = txtValue(`shape${shape.length}`);
    const res = await send(api.url, { path: shape, headers: authHeaders(acct), body: JSON.stringify({ subdomain: acct.subdomain, txt: value }) });
    expect([res.status, res.body]).toEqual([200, `{"txt": "${value}"}`]);
  });
});
