/**
 * Hostile and broken input (DESIGN rule 13): malformed bodies of every kind, oversized bodies,
 * broken HTTP, clients that vanish, and a store that fails. After each, the server keeps
 * answering and the accounts stored before are intact.
 */
import http from 'node:http';
import net from 'node:net';
import { StoreUnavailableError } from '../src/core/errors';
import type { Store } from '../src/store/types';
import { authHeaders, register, type Registration, send, txtValue } from './support/api-client';
import { startApi, type ApiHarness } from './support/api-harness';

const LIMIT = 4096;
const MALFORMED = '{"error": "malformed_json_payload"}';

/** Malformed bodies: each is 400 malformed_json_payload on /register. */
const MALFORMED_BODIES: [string, Buffer][] = [
  ['invalid JSON', Buffer.from('{"allowfrom": [')],
  ['single quotes', Buffer.from(`{'allowfrom': ['1.1.1.1/32']}`)],
  ['bare word', Buffer.from('whatever')],
  ['a JSON array', Buffer.from('["1.2.3.4/32"]')],
  ['an array of objects', Buffer.from('[{"allowfrom":["1.2.3.4/32"]}]')],
  ['a number', Buffer.from('42')],
  ['a string', Buffer.from('"allowfrom"')],
  ['allowfrom as a string', Buffer.from('{"allowfrom":"1.1.1.1/32"}')],
  ['allowfrom holding numbers', Buffer.from('{"allowfrom":[1,2,3]}')],
  ['allowfrom holding objects', Buffer.from('{"allowfrom":[{"a":{"b":[null,true]}}]}')],
  ['nested junk in a known key', Buffer.from('{"subdomain":{"x":[[[[{}]]]]}}')],
  ['username not a UUID', Buffer.from('{"username":"admin"}')],
  ['deep nesting', Buffer.from(`${'['.repeat(2000)}${']'.repeat(2000)}`)],
  ['deep unclosed nesting', Buffer.from('['.repeat(LIMIT - 1))],
  ['a NUL byte', Buffer.from([0x7b, 0x00, 0x7d])],
  ['only NUL bytes', Buffer.alloc(64)],
  ['invalid UTF-8 outside strings', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
  ['a byte-order mark', Buffer.from('\ufeff{}')],
  ['trailing garbage', Buffer.from('{"allowfrom":[]} trailing')],
  ['two objects', Buffer.from('{}{}')],
  ['form encoding', Buffer.from('allowfrom=1.2.3.4%2F32')],
  ['whitespace only', Buffer.from(' \r\n\t')],
  ['control character in a string', Buffer.from('{"allowfrom":["1.2.3.4/32\u0001"]}')],
];

let api: ApiHarness;
let existing: Registration;
const existingValue = txtValue('existing');

beforeAll(async () => {
  api = await startApi({ maxBodyBytes: LIMIT });
  existing = await register(api.url, ['127.0.0.1/32']);
  const res = await send(api.url, {
    path: '/update',
    headers: authHeaders(existing),
    body: JSON.stringify({ subdomain: existing.subdomain, txt: existingValue }),
  });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await api.stop();
});

/** The server still answers, and the account made at the start still works. */
async function stillHealthy(): Promise<void> {
  expect((await send(api.url, { method: 'GET', path: '/health' })).status).toBe(200);
  const acct = await api.store.findAccount(existing.username);
  expect(acct?.subdomain).toBe(existing.subdomain);
  expect(acct?.allowFrom).toEqual(['127.0.0.1/32']);
  expect((await api.store.lookup(existing.subdomain, Math.floor(Date.now() / 1000)))?.values).toContain(existingValue);
}

describe('malformed /register bodies', () => {
  test.each(MALFORMED_BODIES)('%s -> 400 malformed_json_payload', async (_n, body) => {
    const res = await send(api.url, { path: '/register', headers: { 'Content-Type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(res.body).toBe(MALFORMED);
    expect(res.headers['content-type']).toBe('application/json');
    await stillHealthy();
  });

  test.each<[string, string | Buffer]>([
    ['invalid CIDR', '{"allowfrom":["invalid"]}'],
    ['bare IP', '{"allowfrom":["1.2.3.4"]}'],
    ['one bad among good', '{"allowfrom":["10.0.0.0/8","1.2.3.4/33"]}'],
    ['null element', '{"allowfrom":[null]}'],
    ['invalid UTF-8 inside the string', Buffer.concat([Buffer.from('{"allowfrom":["1.2.3.4/32'), Buffer.from([0xff]), Buffer.from('"]}')])],
    ['101 ranges, one more than an account may have', JSON.stringify({ allowfrom: Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`) })],
  ])('%s -> 400 invalid_allowfrom_cidr, nothing stored', async (_n, body) => {
    const res = await send(api.url, { path: '/register', body });
    expect(res.status).toBe(400);
    expect(res.body).toBe('{"error": "invalid_allowfrom_cidr"}');
  });
});

test('100 ranges, the most an account may have -> 201 with all of them', async () => {
  const allowfrom = Array.from({ length: 100 }, (_, i) => `10.0.${i}.0/24`);
  const res = await send(api.url, { path: '/register', body: JSON.stringify({ allowfrom }) });
  expect(res.status).toBe(201);
  expect((JSON.parse(res.body) as { allowfrom: string[] }).allowfrom).toEqual(allowfrom);
});

describe('malformed /update bodies (with valid credentials)', () => {
  test.each(MALFORMED_BODIES)('%s -> 401 or 400, never 5xx', async (_n, body) => {
    const res = await send(api.url, { path: '/update', headers: authHeaders(existing), body });
    expect([400, 401]).toContain(res.status);
    await stillHealthy();
  });
});

describe('oversized bodies', () => {
  test.each<[string, string]>([
    ['/register', '/register'],
    ['/update', '/update'],
  ])('%s: one byte over the limit -> 413 payload_too_large', async (_n, path) => {
    const agent = new http.Agent({ keepAlive: true });
    const res = await send(api.url, { path, headers: authHeaders(existing), body: Buffer.alloc(LIMIT + 1, 0x20), agent });
    agent.destroy();
    expect(res.status).toBe(413);
    expect(res.body).toBe('{"error": "payload_too_large"}');
    expect(res.headers.connection).toBe('close');
    await stillHealthy();
  });

  test('exactly at the limit is read (and judged on its content)', async () => {
    const json = JSON.stringify({ allowfrom: [] });
    const res = await send(api.url, { path: '/register', body: json.padEnd(LIMIT, ' ') });
    expect(res.status).toBe(201);
  });

  test('a chunked body without Content-Length that grows past the limit -> 413', async () => {
    const res = await send(api.url, {
      path: '/register',
      headers: { 'Transfer-Encoding': 'chunked' },
      body: Buffer.alloc(LIMIT * 4, 0x5b),
    });
    expect(res.status).toBe(413);
    await stillHealthy();
  });

  test('a huge declared Content-Length is refused before any byte is read', async () => {
    const res = await rawExchange(
      `POST /register HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\n\r\n{"allowfrom":`,
    );
    expect(res).toMatch(/^HTTP\/1\.1 413 /);
    expect(res).toContain('{"error": "payload_too_large"}');
    await stillHealthy();
  });
});

/** Writes raw bytes, returns everything the server sends until it closes the connection. */
function rawExchange(request: string | Buffer, endAfterWrite = false): Promise<string> {
  const { hostname, port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.write(request);
      if (endAfterWrite) socket.end();
    });
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      // the server keeps the connection open after a complete answer; stop at the first one
      if (/\r\n\r\n/.test(text) && /Content-Length: (\d+)/i.test(text)) {
        const len = Number(/Content-Length: (\d+)/i.exec(text)?.[1]);
        if (text.length >= text.indexOf('\r\n\r\n') + 4 + len) socket.end();
      }
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('broken HTTP and vanishing clients', () => {
  test('garbage instead of a request line -> 400 from the HTTP parser, server fine', async () => {
    const res = await rawExchange('\u0000\u0001GARBAGE\r\n\r\n');
    expect(res).toMatch(/^HTTP\/1\.1 400 /);
    await stillHealthy();
  });

  test('a client that sends half a body and hangs up is logged as aborted', async () => {
    const before = api.logs.length;
    await rawExchange('POST /register HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"allow', true);
    // wait for the server to notice the hang-up (the log line is written on close)
    for (let i = 0; i < 200 && !api.logs.slice(before).some((l) => l.outcome === 'aborted'); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(api.logs.slice(before).find((l) => l.msg === 'api request')).toMatchObject({ outcome: 'aborted', route: '/register' });
    await stillHealthy();
  });

  test('header values with non-ASCII bytes and NULs in X-Api-User / X-Api-Key -> 401', async () => {
    const res = await rawExchange(
      Buffer.concat([
        Buffer.from('POST /update HTTP/1.1\r\nHost: x\r\nX-Api-User: '),
        Buffer.from([0xc3, 0xa9, 0xff]),
        Buffer.from(`\r\nX-Api-Key: ${'\u00e9'.repeat(40)}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`),
      ]),
    );
    expect(res).toMatch(/^HTTP\/1\.1 (401|400) /);
    await stillHealthy();
  });

  test('a duplicated X-Api-User: the first value counts (Go Header.Get)', async () => {
    const value = txtValue('dup');
    const res = await send(api.url, {
      path: '/update',
      headers: { 'X-Api-User': [existing.username, 'someone-else'], 'X-Api-Key': existing.password },
      body: JSON.stringify({ subdomain: existing.subdomain, txt: value }),
    });
    expect(res.status).toBe(200);
  });

  test('many malformed requests at once, then normal service', async () => {
    await Promise.all(
      MALFORMED_BODIES.flatMap(([, body]) => [
        send(api.url, { path: '/register', body }),
        send(api.url, { path: '/update', headers: authHeaders(existing), body }),
      ]),
    );
    await stillHealthy();
    const fresh = await register(api.url);
    const res = await send(api.url, { path: '/update', headers: authHeaders(fresh), body: JSON.stringify({ subdomain: fresh.subdomain, txt: txtValue('after') }) });
    expect(res.status).toBe(200);
  });
});

describe('store failures', () => {
  test('the store is gone (closed): 503 db_error, the driver text only in the log', async () => {
    const broken = await startApi();
    try {
      const acct = await register(broken.url);
      await broken.store.close();
      const reg = await send(broken.url, { path: '/register' });
      expect(reg.status).toBe(503);
      expect(reg.body).toBe('{"error": "db_error"}');
      const upd = await send(broken.url, { path: '/update', headers: authHeaders(acct), body: JSON.stringify({ subdomain: acct.subdomain, txt: txtValue('x') }) });
      expect(upd.status).toBe(503);
      expect(upd.body).toBe('{"error": "db_error"}');
      const lines = broken.logs.filter((l) => l.msg === 'api request' && l.status === 503);
      expect(lines).toHaveLength(2);
      expect(JSON.stringify(lines[0])).toMatch(/sqlite/);
      expect(broken.logs.filter((l) => l.level === 50)).toHaveLength(2);
      expect((await send(broken.url, { method: 'GET', path: '/health' })).status).toBe(200);
    } finally {
      await broken.stop();
    }
  });

  test('a store error that is not "unavailable" (disk full): 500 db_error, never the raw text', async () => {
    let failing = false;
    const wrap = (s: Store): Store => ({
      ...s,
      createAccount: (a) => (failing ? Promise.reject(new Error('database or disk is full')) : s.createAccount(a)),
      putTxt: (sub, v, n) => (failing ? Promise.reject(new Error('database or disk is full')) : s.putTxt(sub, v, n)),
      findAccount: (u) => s.findAccount(u),
      lookup: (sub, n) => s.lookup(sub, n),
      close: () => s.close(),
    });
    const full = await startApi({}, { wrapStore: wrap });
    try {
      const acct = await register(full.url);
      failing = true;
      const reg = await send(full.url, { path: '/register' });
      expect(reg.status).toBe(500);
      expect(reg.body).toBe('{"error": "db_error"}');
      const upd = await send(full.url, { path: '/update', headers: authHeaders(acct), body: JSON.stringify({ subdomain: acct.subdomain, txt: txtValue('full') }) });
      expect(upd.status).toBe(500);
      expect(upd.body).toBe('{"error": "db_error"}');
      expect(full.logText()).toContain('database or disk is full');
    } finally {
      await full.stop();
    }
  });

  test('a lookup that fails during authentication is 503, not a misleading 401', async () => {
    const wrap = (s: Store): Store => ({
      ...s,
      findAccount: () => Promise.reject(new StoreUnavailableError('connection refused')),
      createAccount: (a) => s.createAccount(a),
      close: () => s.close(),
    });
    const down = await startApi({}, { wrapStore: wrap });
    try {
      const acct = await register(down.url);
      const upd = await send(down.url, { path: '/update', headers: authHeaders(acct), body: '{}' });
      expect(upd.status).toBe(503);
      expect(upd.body).toBe('{"error": "db_error"}');
    } finally {
      await down.stop();
    }
  });
});
