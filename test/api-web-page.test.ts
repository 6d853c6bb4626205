/**
 * The self-service page's files on the API listener of a real daemon (issue 13): `/` and
 * `/web/<file>` from a page folder the test writes (so nothing here depends on the page's build),
 * every security header, Content-Type, gzip as the client allows, 404 for anything not built and
 * for every way of reaching outside the folder, and nothing at all with `api.web = false`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { send } from './support/api-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};
const NOT_FOUND = '404 page not found\n';

const INDEX = '<!doctype html><html lang="en"><title>acmedns</title><link rel="stylesheet" href="/web/app.css"><script src="/web/app.js"></script></html>\n';
// Repetitive enough that gzip shrinks it, as a real bundle does.
const APP_JS = 'document.title = "acmedns";\n'.repeat(40);
const APP_CSS = 'body { font-family: sans-serif; }\n'.repeat(20);
const SECRET = 'the secret next to the page folder';

/** A built page in `root/web`, a secret beside it, and a symlink inside pointing at the secret. */
function writePage(root: string): string {
  const web = path.join(root, 'web');
  fs.mkdirSync(path.join(web, 'img'), { recursive: true });
  fs.writeFileSync(path.join(web, 'index.html'), INDEX);
  fs.writeFileSync(path.join(web, 'app.js'), APP_JS);
  fs.writeFileSync(path.join(web, 'app.css'), APP_CSS);
  fs.writeFileSync(path.join(web, 'img', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(web, '.hidden'), 'not for the web');
  fs.writeFileSync(path.join(root, 'secret.txt'), SECRET);
  fs.symlinkSync(path.join(root, 'secret.txt'), path.join(web, 'linked.txt'));
  return web;
}

describe('the page on the API listener', () => {
  let d: TestDaemon;
  let root: string;
  let web: string;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-page-'));
    web = writePage(root);
    d = await startTestDaemon({ daemon: { webRoot: web } });
  });
  afterAll(async () => {
    await d?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test.each([
    ['/', INDEX, 'text/html; charset=utf-8'],
    ['/web/index.html', INDEX, 'text/html; charset=utf-8'],
    ['/web/app.js', APP_JS, 'text/javascript; charset=utf-8'],
    ['/web/app.css', APP_CSS, 'text/css; charset=utf-8'],
    ['/web/img/logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>', 'image/svg+xml'],
  ])('GET %s: the file, its Content-Type and every security header', async (p, body, type) => {
    const res = await send(d.api, { method: 'GET', path: p });
    expect(res.status).toBe(200);
    expect(res.body).toBe(body);
    expect(res.headers).toMatchObject({ ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-cache' });
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  test.each([
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['*', true],
    ['gzip;q=0', false],
    ['*, gzip;q=0', false],
    ['deflate', false],
    ['identity', false],
  ])('Accept-Encoding %j: gzip %s', async (accept, gzipped) => {
    const res = await send(d.api, { method: 'GET', path: '/web/app.js', headers: { 'Accept-Encoding': accept } });
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ ...SECURITY_HEADERS, 'content-type': 'text/javascript; charset=utf-8', vary: 'Origin, Accept-Encoding' });
    expect(res.headers['content-encoding']).toBe(gzipped ? 'gzip' : undefined);
    const text = gzipped ? gunzipSync(res.bytes).toString('utf8') : res.body;
    expect(text).toBe(APP_JS);
    if (gzipped) expect(res.bytes.length).toBeLessThan(Buffer.byteLength(APP_JS));
  });

  test('the API keeps its own replies: no page headers on JSON', async () => {
    const res = await send(d.api, { method: 'GET', path: '/status' });
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBeUndefined();
  });

  test.each([
    '/web/nothing.js',
    '/web/',
    '/web',
    '/index.html',
    '/app.js',
    '/web/.hidden',
    // A symlink in the folder is never followed: only regular files are served.
    '/web/linked.txt',
    // Outside the folder, however it is spelled: only the files found at start have routes.
    '/web/../secret.txt',
    '/web/../../secret.txt',
    '/web/img/../app.js',
    '/web/%2e%2e/secret.txt',
    '/web/..%2fsecret.txt',
    '/web/%2E%2E%2Fsecret.txt',
    '/web/..\\secret.txt',
    '/web/app.js%00.html',
    '/web/APP.JS',
    '/web//../secret.txt',
    '/../secret.txt',
    '/web/%2Fetc%2Fpasswd',
    '/web//etc/passwd',
  ])('GET %s: 404, the plain 404 of an unknown path', async (p) => {
    const res = await send(d.api, { method: 'GET', path: p });
    expect([res.status, res.body]).toEqual([404, NOT_FOUND]);
    expect(res.body).not.toContain(SECRET);
  });

  test('a file added after the start is not served (the folder is read once)', async () => {
    fs.writeFileSync(path.join(web, 'late.js'), 'late');
    const res = await send(d.api, { method: 'GET', path: '/web/late.js' });
    expect([res.status, res.body]).toEqual([404, NOT_FOUND]);
  });

  test('other methods on a file: 405 with Allow, as every route', async () => {
    const res = await send(d.api, { method: 'POST', path: '/', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, OPTIONS');
  });
});

describe('api.web = false', () => {
  let d: TestDaemon;
  let root: string;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-page-'));
    d = await startTestDaemon({ env: { ACMEDNS_API_WEB: 'false' }, daemon: { webRoot: writePage(root) } });
  });
  afterAll(async () => {
    await d?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test.each(['/', '/web/index.html', '/web/app.js', '/web/app.css'])('GET %s: 404 as an unknown path', async (p) => {
    const res = await send(d.api, { method: 'GET', path: p });
    expect([res.status, res.body]).toEqual([404, NOT_FOUND]);
    expect(res.headers['content-security-policy']).toBeUndefined();
  });

  test('the API itself still answers', async () => {
    expect((await send(d.api, { method: 'GET', path: '/status' })).status).toBe(200);
  });
});

describe('a page folder that was never built', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon({ daemon: { webRoot: path.join(os.tmpdir(), 'acmedns-no-such-page-folder') } });
  });
  afterAll(async () => {
    await d?.stop();
  });

  test('/ is 404 and the log says why once', async () => {
    const res = await send(d.api, { method: 'GET', path: '/' });
    expect([res.status, res.body]).toEqual([404, NOT_FOUND]);
    const warnings = d.logText().split('\n').filter((l) => l.includes('the self-service page is not built'));
    expect(warnings).toHaveLength(1);
  });
});
