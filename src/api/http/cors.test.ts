import { applyCors, canonicalHeaderKey, corsPolicy, isOriginAllowed } from './cors';

describe('isOriginAllowed (rs/cors)', () => {
  test.each<[string[], string, boolean]>([
    [['*'], 'https://anything.example', true],
    [[], 'https://anything.example', true],
    [['https://a.example', '*'], 'https://b.example', true],
    [['https://a.example'], 'https://a.example', true],
    [['https://A.example'], 'https://a.EXAMPLE', true],
    [['https://a.example'], 'https://b.example', false],
    [['https://*.example.com'], 'https://api.example.com', true],
    [['https://*.example.com'], 'https://x.y.example.com', true],
    [['https://*.example.com'], 'https://example.com', false],
    [['https://*.example.com'], 'http://api.example.com', false],
    [['https://*.example.com'], 'https://.example.com', true],
  ])('%j allows %j -> %s', (origins, origin, ok) => expect(isOriginAllowed(corsPolicy(origins), origin)).toBe(ok));
});

describe('applyCors', () => {
  const all = corsPolicy(['*']);
  const one = corsPolicy(['https://ui.example']);
  const pre = (origin: string | undefined, requestMethod: string, requestHeaders?: string) => ({
    method: 'OPTIONS',
    origin,
    requestMethod,
    requestHeaders,
  });

  test('a preflight for /update from an allowed origin grants the API headers', () => {
    const out = applyCors(all, pre('https://ui.example', 'POST', 'x-api-user, X-API-KEY,content-type'));
    expect(out.preflight).toBe(true);
    expect(out.headers).toEqual({
      Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'POST',
      'Access-Control-Allow-Headers': 'X-Api-User, X-Api-Key, Content-Type',
    });
  });

  test.each<[string, ReturnType<typeof pre>]>([
    ['origin not allowed', pre('https://evil.example', 'POST')],
    ['no origin', pre(undefined, 'POST')],
    ['method not allowed', pre('https://ui.example', 'PUT')],
    ['header not allowed', pre('https://ui.example', 'POST', 'X-Other')],
  ])('a preflight is still a 204 but grants nothing when: %s', (_n, req) => {
    const out = applyCors(one, req);
    expect(out.preflight).toBe(true);
    expect(out.headers['Access-Control-Allow-Origin']).toBeUndefined();
  });

  test('a specific origin is echoed, not *', () => {
    const out = applyCors(one, pre('https://ui.example', 'post'));
    expect(out.headers['Access-Control-Allow-Origin']).toBe('https://ui.example');
    expect(out.headers['Access-Control-Allow-Methods']).toBe('POST');
  });

  test.each<[string, string | undefined, string | undefined]>([
    ['POST', 'https://ui.example', '*'],
    ['GET', 'https://ui.example', '*'],
    ['POST', undefined, undefined],
    ['PUT', 'https://ui.example', undefined],
    ['OPTIONS', 'https://ui.example', '*'],
  ])('actual %s request with Origin %j -> ACAO %j', (method, origin, acao) => {
    const out = applyCors(all, { method, origin, requestMethod: undefined, requestHeaders: undefined });
    expect(out.preflight).toBe(false);
    expect(out.headers['Access-Control-Allow-Origin']).toBe(acao);
    expect(out.headers.Vary).toBe('Origin');
  });

  test.each<[string, string]>([
    ['x-api-user', 'X-Api-User'],
    ['CONTENT-TYPE', 'Content-Type'],
    ['accept', 'Accept'],
  ])('canonicalHeaderKey(%j) -> %j', (s, out) => expect(canonicalHeaderKey(s)).toBe(out));
});
