/**
 * The OpenAPI 3.1 description of every route the API serves: acme-dns's three, exactly as it
 * answers them, and ours. `GET /openapi.json` serves the routes that exist in this configuration
 * (no /register with registration disabled); test/api-account-openapi checks nothing is missing.
 */

import { BASIC_SCHEME, HTTPREQ_SCHEMAS, httpreqDocs } from './httpreq';
import { TSIG_SCHEMAS, tsigDocs } from './tsig';
import { SELF_SERVICE_SCHEMAS, selfServiceDocs, WEB_FILE_PATH } from './self-service';

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

const json = (schema: Json): Json => ({ 'application/json': { schema } });
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const response = (description: string, schema?: string): Json =>
  schema === undefined ? { description } : { description, content: json(ref(schema)) };
const authenticated: Json = [{ ApiUser: [], ApiKey: [] }];

/** Failures every route may answer with (api/errors.ts). */
const STORE_FAILURES: Readonly<Record<string, Json>> = {
  '413': response('The body is larger than api.max_body_bytes: payload_too_large.', 'Error'),
  '500': response('Internal error: db_error (the detail is logged, never sent).', 'Error'),
  '503': response('The store cannot be reached now: db_error; retrying later may work.', 'Error'),
};

const FORBIDDEN = response(
  'forbidden: X-Api-User or X-Api-Key wrong or missing, or the client address not in the allowfrom list. ' +
    'Every reason gets this same answer.',
  'Error',
);

/** `[ratelimit]`; Retry-After holds the seconds to wait. */
const RATE_LIMITED: Json = {
  description:
    'rate_limited: too many registrations from this address, failed authentications of this user from this address ' +
    '(or of any user, or malformed ones), key checks in flight from this address, writes of this account, or delegation ' +
    'checks of this account or from this address.',
  headers: { 'Retry-After': { description: 'Seconds until a retry can succeed.', schema: { type: 'integer', minimum: 1 } } },
  content: json(ref('Error')),
};

/** The description of each route, by path and lower-case method. */
export const ROUTE_DOCS: Readonly<Record<string, Readonly<Record<string, Json>>>> = {
  '/register': {
    post: {
      summary: 'Create an account (acme-dns)',
      description:
        'New random credentials and subdomain. The password is returned once, in this answer. ' +
        'The body may be empty. Not served when api.disable_registration is set.',
      operationId: 'register',
      requestBody: { required: false, content: json(ref('RegisterRequest')) },
      responses: {
        '201': response('The new account (one line of compact JSON, keys in this order).', 'Registration'),
        '400': response('malformed_json_payload, or invalid_allowfrom_cidr.', 'Error'),
        '429': RATE_LIMITED,
        ...STORE_FAILURES,
      },
    },
  },
  '/update': {
    post: {
      summary: "Publish a TXT value at the account's name (acme-dns)",
      description:
        'Adds the value (or refreshes it); the newest values within the configured limit and age are served. ' +
        '200 means the store has it durably.',
      operationId: 'update',
      security: authenticated,
      requestBody: { required: true, content: json(ref('UpdateRequest')) },
      responses: {
        '200': response('The value as stored.', 'UpdateResponse'),
        '400': response('bad_txt (not 43 characters of base64url) or bad_subdomain.', 'Error'),
        '401': FORBIDDEN,
        '429': RATE_LIMITED,
        ...STORE_FAILURES,
      },
    },
  },
  '/health': {
    get: {
      summary: 'Liveness (acme-dns)',
      description: '200 with an empty body while the server runs; the store is not checked.',
      operationId: 'health',
      responses: { '200': response('Running.') },
    },
  },
  '/account': {
    get: {
      summary: 'Read your account and its live TXT values (acmedns)',
      description: 'Authenticated as /update, allowfrom included. Never returns the key.',
      operationId: 'getAccount',
      security: authenticated,
      responses: {
        '200': response('The account and the values DNS serves now, newest first.', 'Account'),
        '401': FORBIDDEN,
        '429': RATE_LIMITED,
        ...STORE_FAILURES,
      },
    },
    delete: {
      summary: 'Delete your account (acmedns)',
      description:
        'Authenticated as /update, allowfrom included. Removes the account and its values: its name answers ' +
        'NXDOMAIN and its credentials are refused from then on.',
      operationId: 'deleteAccount',
      security: authenticated,
      responses: { '204': response('Deleted.'), '401': FORBIDDEN, '429': RATE_LIMITED, ...STORE_FAILURES },
    },
  },
  '/ready': {
    get: {
      summary: 'Readiness (acmedns)',
      description: 'Checks the store with a trivial query; unlike /health, fails while the store cannot be reached.',
      operationId: 'ready',
      responses: { '200': response('The store answers.', 'Readiness'), '503': response('The store does not answer.', 'Readiness') },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics (acmedns)',
      description: 'Served here when metrics.enabled and metrics.listen is empty, to the sources in metrics.allow only (404 to others).',
      operationId: 'metrics',
      responses: { '200': { description: 'Prometheus text format 0.0.4.', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  },
  ...httpreqDocs({ '401': FORBIDDEN, '429': RATE_LIMITED, ...STORE_FAILURES }),
  ...tsigDocs({ '401': FORBIDDEN, '429': RATE_LIMITED, ...STORE_FAILURES }),
  ...selfServiceDocs({ '401': FORBIDDEN, '429': RATE_LIMITED, ...STORE_FAILURES }),
  '/openapi.json': {
    get: {
      summary: 'This document (acmedns)',
      operationId: 'openapi',
      responses: { '200': { description: 'OpenAPI 3.1 document.', content: json({ type: 'object' }) } },
    },
  },
};

const uuid: Json = { type: 'string', format: 'uuid' };
const txtValue: Json = { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$', description: 'An ACME DNS-01 value: 43 characters of base64url.' };
const allowfrom: Json = {
  type: 'array',
  items: { type: 'string', description: 'CIDR, IPv4 or IPv6 (e.g. 192.0.2.0/24, 2001:db8::/32).' },
  description: 'Addresses the account may be used from; empty: anywhere.',
};

const SCHEMAS: Readonly<Record<string, Json>> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'string',
        enum: [
          'malformed_json_payload',
          'invalid_allowfrom_cidr',
          'forbidden',
          'bad_subdomain',
          'bad_txt',
          'db_error',
          'payload_too_large',
          'rate_limited',
          'bad_tsig_algorithm',
          'tsig_key_limit',
          'tsig_key_not_found',
          'bad_domain',
        ],
      },
    },
  },
  RegisterRequest: { type: 'object', properties: { allowfrom } },
  Readiness: { type: 'object', required: ['store'], properties: { store: { type: 'string', enum: ['ok', 'unavailable'] } } },
  Registration: {
    type: 'object',
    required: ['username', 'password', 'fulldomain', 'subdomain', 'allowfrom'],
    properties: {
      username: { ...(uuid as object), description: 'Send as X-Api-User.' },
      password: { type: 'string', minLength: 40, maxLength: 40, description: 'Send as X-Api-Key. Shown only here.' },
      fulldomain: { type: 'string', description: 'Point _acme-challenge.<your domain> here with a CNAME.' },
      subdomain: uuid,
      allowfrom,
    },
  },
  UpdateRequest: {
    type: 'object',
    required: ['subdomain', 'txt'],
    properties: { subdomain: { ...(uuid as object), description: "The account's subdomain." }, txt: txtValue },
  },
  UpdateResponse: { type: 'object', required: ['txt'], properties: { txt: txtValue } },
  Account: {
    type: 'object',
    required: ['username', 'subdomain', 'fulldomain', 'allowfrom', 'txt', 'values', 'lastUpdate'],
    properties: {
      username: uuid,
      subdomain: uuid,
      fulldomain: { type: 'string' },
      allowfrom,
      txt: { type: 'array', items: txtValue },
      values: { type: 'array', items: ref('TxtValueTime'), description: 'The values of txt, in the same order, with when each was written.' },
      lastUpdate: { oneOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }], description: 'The newest of those times; null without values.' },
    },
  },
  ...HTTPREQ_SCHEMAS,
  ...TSIG_SCHEMAS,
  ...SELF_SERVICE_SCHEMAS,
};

/** The version of this description (not of the software): raised when a route or a shape changes. */
export const API_DOC_VERSION = '1.3.0';

/** The document for the routes served: `served` maps each path to its upper-case methods. */
export function openApiDocument(served: ReadonlyMap<string, readonly string[]>): Json {
  const paths: Record<string, Json> = {};
  for (const [servedPath, methods] of served) {
    // Every file of the page is one templated path.
    const path = servedPath.startsWith('/web/') ? WEB_FILE_PATH : servedPath;
    const docs = ROUTE_DOCS[path];
    if (docs === undefined) continue;
    const operations: Record<string, Json> = {};
    for (const m of methods) {
      const op = docs[m.toLowerCase()];
      if (op !== undefined) operations[m.toLowerCase()] = op;
    }
    paths[path] = operations;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'acmedns',
      version: API_DOC_VERSION,
      description:
        "acme-dns's HTTP API (POST /register, POST /update, GET /health), answered exactly as acme-dns answers, " +
        "plus GET and DELETE /account, the self-service routes (GET /status, DELETE /account/txt, POST /account/key, " +
        "POST /account/check), the account's TSIG keys for RFC 2136 (/account/tsig) and lego's httpreq " +
        'protocol (POST /present, /cleanup). Authenticated routes ' +
        'take the X-Api-User and X-Api-Key headers together, the httpreq ones HTTP Basic with the same credentials.',
    },
    paths,
    components: {
      schemas: SCHEMAS,
      securitySchemes: {
        ApiUser: { type: 'apiKey', in: 'header', name: 'X-Api-User', description: 'The username from /register.' },
        ApiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'The password from /register.' },
        Basic: BASIC_SCHEME,
      },
    },
  };
}
