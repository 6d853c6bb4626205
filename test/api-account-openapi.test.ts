/**
 * GET /openapi.json: an OpenAPI 3.1 document that names every route the app serves (with each
 * method), nothing it does not serve, and whose references all resolve.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { apiRoutes } from '../src/api';
import { send } from './support/api-client';
import { DOMAIN, startApi, type ApiHarness } from './support/api-harness';
import { testConfig } from './support/config';

interface Doc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { responses?: Record<string, unknown>; operationId?: string }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

async function fetchDoc(api: ApiHarness): Promise<Doc> {
  const res = await send(api.url, { method: 'GET', path: '/openapi.json' });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/json');
  return JSON.parse(res.body) as Doc;
}

/** Every `$ref` anywhere in the document. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refs(v)));
}

/** A folder with a built page of two files (the harness serves an empty one unless told). */
function pageFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-openapi-page-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(dir, 'app.js'), '');
  return dir;
}

/**
 * The served routes as "METHOD /path" lines, from the route table the app itself uses; every
 * file of the page is one documented path, /web/{file}.
 */
function served(disableRegistration: boolean, webRoot: string): string[] {
  // The table is built, not served: the store is never called here.
  const config = testConfig({ api: { disable_registration: disableRegistration } }).api;
  const routes = apiRoutes({ config, domain: DOMAIN, accounts: {} as never, store: {} as never, logger: pino({ enabled: false }), webRoot });
  const lines = [...routes].flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m} ${p.startsWith('/web/') ? '/web/{file}' : p}`));
  return [...new Set(lines)].sort();
}

function documented(doc: Doc): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

describe.each([
  [false, false],
  [true, false],
  [false, true],
])('GET /openapi.json (registration disabled: %s, page built: %s)', (disableRegistration, page) => {
  let api: ApiHarness;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = page ? pageFolder() : fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-openapi-nopage-'));
    api = await startApi({ disableRegistration }, { webRoot });
  });
  afterAll(async () => {
    await api.stop();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });

  test('documents exactly the routes the app serves, each method with its responses', async () => {
    const doc = await fetchDoc(api);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('acmedns');
    const table = served(disableRegistration, webRoot);
    expect(table).toEqual(
      expect.arrayContaining([
        'POST /update',
        'GET /health',
        'GET /account',
        'DELETE /account',
        'POST /account/tsig',
        'GET /account/tsig',
        'DELETE /account/tsig',
        'GET /openapi.json',
        'GET /status',
        'DELETE /account/txt',
        'POST /account/key',
        'POST /account/check',
      ]),
    );
    expect(table.includes('POST /register')).toBe(!disableRegistration);
    expect([table.includes('GET /'), table.includes('GET /web/{file}')]).toEqual([page, page]);
    expect(documented(doc)).toEqual(table);
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) expect(Object.keys(op.responses ?? {}).length).toBeGreaterThan(0);
    }
  });

  test('every documented route answers (neither 404 nor 405) and every reference resolves', async () => {
    const doc = await fetchDoc(api);
    for (const line of documented(doc)) {
      const [method, documentedPath] = line.split(' ') as [string, string];
      // The templated path of the page's files: one of them.
      const target = documentedPath.replace('{file}', 'app.js');
      const res = await send(api.url, { method, path: target, headers: {} });
      expect([line, res.status === 404 || res.status === 405]).toEqual([line, false]);
    }
    const names = new Set(Object.keys(doc.components.schemas).map((n) => `#/components/schemas/${n}`));
    const dangling = refs(doc).filter((r) => !names.has(r));
    expect(dangling).toEqual([]);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['ApiKey', 'ApiUser', 'Basic']);
  });
});
