/**
 * HTTP behaviour around the routes: 404/405 bodies, path forms, OPTIONS, CORS (rs/cors
 * semantics), HSTS, disabled registration, and the headers a response carries.
 */
import http from 'node:http';
import { authHeaders, register, send, txtValue } from './support/api-client';
import { startApi, type ApiHarness } from './support/api-harness';

const TEXT = 'text/plain; charset=utf-8';

describe('routes, fallbacks and path forms', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.stop();
  });

  test('GET /health: 200, empty body, no Content-Type', async () => {
    const res = await send(api.url, { method: 'GET', path: '/health' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(res.headers['content-type']).toBeUndefined();
    expect(res.headers['content-length']).toBe('0');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  test.each<[string, string, number, string, string | undefined]>([
    ['GET', '/nope', 404, '404 page not found\n', undefined],
    ['POST', '/', 404, '404 page not found\n', undefined],
    ['POST', '/update/extra', 404, '404 page not found\n', undefined],
    ['POST', '/%zz', 404, '404 page not found\n', undefined],
    ['GET', '/register', 405, 'Method Not Allowed\n', 'OPTIONS, POST'],
    ['GET', '/update', 405, 'Method Not Allowed\n', 'OPTIONS, POST'],
    ['PUT', '/update', 405, 'Method Not Allowed\n', 'OPTIONS, POST'],
    ['POST', '/health', 405, 'Method Not Allowed\n', 'GET, OPTIONS'],
    ['DELETE', '//health/', 405, 'Method Not Allowed\n', 'GET, OPTIONS'],
    ['DELETE', '//HEALTH/', 404, '404 page not found\n', undefined],
  ])('%s %s -> %d', async (method, path, status, body, allow) => {
    const res = await send(api.url, { method, path });
    expect(res.status).toBe(status);
    expect(res.body).toBe(body);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers.allow).toBe(allow);
  });

  test('HEAD /health is 405 (httprouter has no automatic HEAD)', async () => {
    const res = await send(api.url, { method: 'HEAD', path: '/health' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, OPTIONS');
    expect(res.body).toBe('');
  });

  test('plain OPTIONS on a route: 200 with Allow, empty body', async () => {
    const res = await send(api.url, { method: 'OPTIONS', path: '/update' });
    expect(res.status).toBe(200);
    expect(res.headers.allow).toBe('OPTIONS, POST');
    expect(res.body).toBe('');
  });

  test.each(['/register', '//register', '/register/', '//register//', '/register?x=1'])(
    'POST %s is served as /register, never redirected',
    async (path) => {
      const res = await send(api.url, { path });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBeUndefined();
    },
  );

  test.each(['/update', '//update', '/update/'])('POST %s is served as /update', async (path) => {
    const acct = await register(api.url);
    const value = txtValue(path.length);
    const res = await send(api.url, { path, headers: authHeaders(acct), body: JSON.stringify({ subdomain: acct.subdomain, txt: value }) });
    expect(res.status).toBe(200);
    expect(res.body).toBe(`{"txt": "${value}"}`);
  });

  test('bodiless refusals keep the connection; an unread body closes it', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const notFound = await send(api.url, { method: 'GET', path: '/nope', agent });
      expect(notFound.headers.connection).toBe('keep-alive');
      const preflight = await send(api.url, {
        method: 'OPTIONS',
        path: '/update',
        agent,
        headers: { Origin: 'https://ui.example', 'Access-Control-Request-Method': 'POST' },
      });
      expect(preflight.headers.connection).toBe('keep-alive');
      const unread = await send(api.url, { method: 'POST', path: '/nope', agent, body: 'x'.repeat(100000) });
      expect(unread.status).toBe(404);
      expect(unread.headers.connection).toBe('close');
    } finally {
      agent.destroy();
    }
  });

  test('absolute-form request target (as sent to a proxy) is served by its path', async () => {
    const res = await send(api.url, { method: 'GET', path: `${api.url}/health` });
    expect(res.status).toBe(200);
  });

  test('one log line per request, with client, method, route, status and outcome', async () => {
    const before = api.logs.length;
    await send(api.url, { method: 'GET', path: '//health/' });
    const lines = api.logs.slice(before).filter((l) => l.msg === 'api request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ client: '127.0.0.1', method: 'GET', path: '//health/', route: '/health', status: 200, outcome: 'ok' });
  });
});

describe('CORS', () => {
  describe('corsorigins = ["*"] (acme-dns default)', () => {
    let api: ApiHarness;
    beforeAll(async () => {
      api = await startApi({ corsOrigins: ['*'] });
    });
    afterAll(async () => {
      await api.stop();
    });

    test('a browser can preflight and then call /update', async () => {
      const acct = await register(api.url);
      const pre = await send(api.url, {
        method: 'OPTIONS',
        path: '/update',
        headers: {
          Origin: 'https://ui.example',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type,x-api-key,x-api-user',
        },
      });
      expect(pre.status).toBe(204);
      expect(pre.body).toBe('');
      expect(pre.headers['access-control-allow-origin']).toBe('*');
      expect(pre.headers['access-control-allow-methods']).toBe('POST');
      expect(pre.headers['access-control-allow-headers']).toBe('Content-Type, X-Api-Key, X-Api-User');
      expect(pre.headers.vary).toBe('Origin, Access-Control-Request-Method, Access-Control-Request-Headers');

      const value = txtValue('browser');
      const res = await send(api.url, {
        path: '/update',
        headers: authHeaders(acct, { Origin: 'https://ui.example' }),
        body: JSON.stringify({ subdomain: acct.subdomain, txt: value }),
      });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers.vary).toBe('Origin');
    });

    test('a preflight on an unknown path is still 204 (rs/cors answers before routing)', async () => {
      const res = await send(api.url, {
        method: 'OPTIONS',
        path: '/nope',
        headers: { Origin: 'https://ui.example', 'Access-Control-Request-Method': 'GET' },
      });
      expect(res.status).toBe(204);
    });

    test('a preflight asking for a header outside the list is 204 without grants', async () => {
      const res = await send(api.url, {
        method: 'OPTIONS',
        path: '/update',
        headers: { Origin: 'https://ui.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'X-Secret' },
      });
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    test('no Origin: no CORS headers but Vary', async () => {
      const res = await send(api.url, { method: 'GET', path: '/health' });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers.vary).toBe('Origin');
    });
  });

  describe('specific and wildcard origins', () => {
    let api: ApiHarness;
    beforeAll(async () => {
      api = await startApi({ corsOrigins: ['https://UI.example', 'https://*.tools.example'] });
    });
    afterAll(async () => {
      await api.stop();
    });

    test.each<[string, string | undefined]>([
      ['https://ui.example', 'https://ui.example'],
      ['https://a.tools.example', 'https://a.tools.example'],
      ['https://tools.example', undefined],
      ['https://evil.example', undefined],
    ])('Origin %s -> Access-Control-Allow-Origin %j (preflight and actual)', async (origin, acao) => {
      const pre = await send(api.url, {
        method: 'OPTIONS',
        path: '/register',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe(acao);
      const res = await send(api.url, { method: 'GET', path: '/health', headers: { Origin: origin } });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe(acao);
    });
  });
});

describe('HSTS', () => {
  test.each<[{ enabled: boolean; maxAge: number; includeSubdomains: boolean; preload: boolean }, string | undefined]>([
    [{ enabled: true, maxAge: 63072000, includeSubdomains: true, preload: true }, 'max-age=63072000; includeSubDomains; preload'],
    [{ enabled: true, maxAge: 0, includeSubdomains: false, preload: false }, 'max-age=31536000'],
    [{ enabled: true, maxAge: 300, includeSubdomains: true, preload: false }, 'max-age=300; includeSubDomains'],
    [{ enabled: false, maxAge: 300, includeSubdomains: true, preload: true }, undefined],
  ])('%j -> %j on every route', async (hsts, header) => {
    const api = await startApi({ hsts });
    try {
      const health = await send(api.url, { method: 'GET', path: '/health' });
      const reg = await send(api.url, { path: '/register' });
      const upd = await send(api.url, { path: '/update' });
      for (const r of [health, reg, upd]) expect(r.headers['strict-transport-security']).toBe(header);
    } finally {
      await api.stop();
    }
  });
});

describe('disable_registration', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({ disableRegistration: true });
  });
  afterAll(async () => {
    await api.stop();
  });

  test.each(['POST', 'GET'])('%s /register -> 404 as if the route did not exist', async (method) => {
    const res = await send(api.url, { method, path: '//register/', body: '{"allowfrom":[]}' });
    expect(res.status).toBe(404);
    expect(res.body).toBe('404 page not found\n');
    expect(res.headers['content-type']).toBe(TEXT);
  });

  test('/update and /health still work', async () => {
    expect((await send(api.url, { method: 'GET', path: '/health' })).status).toBe(200);
    expect((await send(api.url, { path: '/update' })).status).toBe(401);
  });
});
