/**
 * GET /openapi.json: an OpenAPI 3.1 document that names every route the app serves (with each
 * method), nothing it does not serve, and whose references all resolve.
 */
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

/** The served routes as "METHOD /path" lines, from the route table the app itself uses. */
function served(disableRegistration: boolean): string[] {
  // The table is built, not served: the store is never called here.
  const routes = apiRoutes({ config: testConfig({ api: { disable_registration: disableRegistration } }).api, domain: DOMAIN, accounts: {} as never, store: {} as never, logger: pino({ enabled: false }) });
  return [...routes].flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`)).sort();
}

function documented(doc: Doc): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

describe.each([false, true])('GET /openapi.json (registration disabled: %s)', (disableRegistration) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({ disableRegistration });
  });
  afterAll(async () => {
    await api.stop();
  });

  test('documents exactly the routes the app serves, each method with its responses', async () => {
    const doc = await fetchDoc(api);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('acmedns');
    const table = served(disableRegistration);
    expect(table).toEqual(
      expect.arrayContaining(['POST /update', 'GET /health', 'GET /account', 'DELETE /account', 'POST /account/tsig', 'GET /account/tsig', 'DELETE /account/tsig', 'GET /openapi.json']),
    );
    expect(table.includes('POST /register')).toBe(!disableRegistration);
    expect(documented(doc)).toEqual(table);
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) expect(Object.keys(op.responses ?? {}).length).toBeGreaterThan(0);
    }
  });

  test('every documented route answers (neither 404 nor 405) and every reference resolves', async () => {
    const doc = await fetchDoc(api);
    for (const line of documented(doc)) {
      const [method, path] = line.split(' ') as [string, string];
      const res = await send(api.url, { method, path, headers: {} });
      expect([line, res.status === 404 || res.status === 405]).toEqual([line, false]);
    }
    const names = new Set(Object.keys(doc.components.schemas).map((n) => `#/components/schemas/${n}`));
    const dangling = refs(doc).filter((r) => !names.has(r));
    expect(dangling).toEqual([]);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['ApiKey', 'ApiUser', 'Basic']);
  });
});
