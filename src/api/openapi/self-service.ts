/**
 * The OpenAPI description of the self-service routes (issue 13): GET /status, DELETE /account/txt,
 * POST /account/key, POST /account/check, and the page itself (`/`, `/web/{file}`); merged into
 * document.ts.
 */

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

const json = (schema: Json): Json => ({ 'application/json': { schema } });
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const response = (description: string, schema?: string): Json =>
  schema === undefined ? { description } : { description, content: json(ref(schema)) };
const time = (description: string): Json => ({ type: 'string', format: 'date-time', description });
const noStore: Json = { 'Cache-Control': { schema: { type: 'string', const: 'no-store' } } };

/** Where every file of the page is documented: one templated path for `/web/<file>`. */
export const WEB_FILE_PATH = '/web/{file}';

/** The shapes of the self-service routes' bodies. */
export const SELF_SERVICE_SCHEMAS: Readonly<Record<string, Json>> = {
  Status: {
    type: 'object',
    required: ['zone', 'version', 'store', 'registration', 'certificate'],
    properties: {
      zone: { type: 'string', description: 'The zone accounts live in (general.domain).' },
      version: { type: 'string', description: "The server's version." },
      store: { type: 'string', enum: ['ready', 'unavailable'], description: 'Whether the store answers now.' },
      registration: { type: 'boolean', description: 'Whether POST /register is open (api.disable_registration unset).' },
      certificate: {
        oneOf: [
          { type: 'null', description: 'The server has no certificate of its own (tls = none or cert), or none yet.' },
          {
            type: 'object',
            required: ['notAfter', 'renewAt'],
            properties: {
              notAfter: time("The API certificate's expiry."),
              renewAt: { oneOf: [time('When the next renewal is planned.'), { type: 'null' }] },
            },
          },
        ],
      },
    },
  },
  TxtValueTime: {
    type: 'object',
    required: ['value', 'updatedAt'],
    properties: { value: { type: 'string' }, updatedAt: time('When the value was last written.') },
  },
  NewKey: {
    type: 'object',
    required: ['username', 'password'],
    properties: {
      username: { type: 'string', format: 'uuid' },
      password: { type: 'string', minLength: 40, maxLength: 40, description: 'The new X-Api-Key. Shown only here; the old key is refused from now on.' },
    },
  },
  CheckRequest: {
    type: 'object',
    required: ['domain'],
    properties: { domain: { type: 'string', description: 'The domain a certificate is wanted for: example.com or *.example.com.' } },
  },
  CheckResult: {
    type: 'object',
    required: ['domain', 'findings'],
    properties: {
      domain: { type: 'string', description: 'The domain checked, lower case, without *. and the final dot.' },
      findings: { type: 'array', items: ref('Finding'), description: 'In the order a CA follows the path; all ok: the delegation is correct.' },
    },
  },
  Finding: {
    type: 'object',
    required: ['ok', 'text'],
    properties: {
      ok: { type: 'boolean' },
      text: { type: 'string', description: 'What was found, in one sentence.' },
      fix: { type: 'string', description: 'For a problem: what to change, in one sentence.' },
    },
  },
};

/** The routes' descriptions; `failures` are the shared 401/429/5xx answers of authenticated routes. */
export function selfServiceDocs(failures: Readonly<Record<string, Json>>): Readonly<Record<string, Readonly<Record<string, Json>>>> {
  const security: Json = [{ ApiUser: [], ApiKey: [] }];
  const page = (summary: string, description: string, operationId: string): Json => ({
    summary,
    description,
    operationId,
    responses: {
      '200': { description: 'The file, gzip when Accept-Encoding allows, with a strict Content-Security-Policy.', content: { '*/*': { schema: { type: 'string' } } } },
      '404': { description: 'Not served: api.web = false, the page is not built, or no such file.' },
    },
  });
  return {
    '/': { get: page('The self-service page (acmedns)', 'index.html of the page built into dist/web; off with api.web = false.', 'page') },
    [WEB_FILE_PATH]: {
      get: {
        ...(page('A file of the self-service page (acmedns)', 'The scripts, styles and other files the page loads.', 'pageFile') as object),
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' }, description: 'e.g. app.js, app.css.' }],
      },
    },
    '/status': {
      get: {
        summary: "The server's public status (acmedns)",
        description: 'No authentication. 200 also while the store is unavailable (see store); /ready is the probe for load balancers.',
        operationId: 'status',
        responses: { '200': { description: 'The status.', headers: noStore, content: json(ref('Status')) } },
      },
    },
    '/account/txt': {
      delete: {
        summary: 'Remove all your TXT values (acmedns)',
        description: "Authenticated as /update, allowfrom included; counted against the write budget, audited. The account's name then answers NODATA.",
        operationId: 'clearTxt',
        security,
        responses: { '204': response('Every value removed.'), ...failures },
      },
    },
    '/account/key': {
      post: {
        summary: 'Replace your key (acmedns)',
        description: 'Authenticated as /update, allowfrom included; counted against the write budget, audited. No body. The old key gets 401 from then on.',
        operationId: 'rotateKey',
        security,
        responses: { '200': { description: 'The new key, shown only here.', headers: noStore, content: json(ref('NewKey')) }, ...failures },
      },
    },
    '/account/check': {
      post: {
        summary: 'Check the delegation of a domain to your account (acmedns)',
        description:
          'The checks of `acmedns check-delegation`, run by the server through api.check_resolvers: the CNAME at ' +
          '_acme-challenge.<domain> and whether it leads to the signed-in account, the zone\'s name servers and glue, each name ' +
          'server asked directly, and what a CA sees through the resolver. Authenticated as /update; limited per account and per ' +
          'address (ratelimit.check_*).',
        operationId: 'checkDelegation',
        security,
        requestBody: { required: true, content: json(ref('CheckRequest')) },
        responses: {
          '200': { description: 'The findings, passed or not.', headers: noStore, content: json(ref('CheckResult')) },
          '400': response('malformed_json_payload (no JSON object, or no domain), or bad_domain (not a domain name).', 'Error'),
          ...failures,
        },
      },
    },
  };
}
