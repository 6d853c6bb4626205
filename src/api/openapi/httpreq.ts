/** The OpenAPI description of lego's httpreq routes (routes/httpreq.ts), merged into document.ts. */

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

const json = (schema: Json): Json => ({ 'application/json': { schema } });
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const response = (description: string, schema?: string): Json =>
  schema === undefined ? { description } : { description, content: json(ref(schema)) };

/** Basic auth with an account's username and password (lego's HTTPREQ_USERNAME / HTTPREQ_PASSWORD). */
export const BASIC_SCHEME: Json = {
  type: 'http',
  scheme: 'basic',
  description: 'username:password of an account from /register (lego httpreq).',
};

const txtValue: Json = { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$', description: 'An ACME DNS-01 value: 43 characters of base64url.' };

/** The request and response shapes of both routes. */
export const HTTPREQ_SCHEMAS: Readonly<Record<string, Json>> = {
  HttpreqRequest: {
    oneOf: [
      {
        type: 'object',
        required: ['value'],
        properties: {
          fqdn: { type: 'string', description: 'The name the client means; informational: the account name is the one changed.' },
          value: txtValue,
        },
      },
      {
        type: 'object',
        required: ['keyAuth'],
        description: 'HTTPREQ_MODE=RAW: the value is base64url(SHA-256(keyAuth)) (RFC 8555 §8.4).',
        properties: { domain: { type: 'string' }, token: { type: 'string' }, keyAuth: { type: 'string' } },
      },
    ],
  },
  HttpreqResponse: {
    type: 'object',
    required: ['fqdn', 'value'],
    properties: {
      fqdn: { type: 'string', description: "The account's name, absolute, where DNS serves the value." },
      value: txtValue,
      removed: { type: 'boolean', description: '/cleanup only: whether the value was there.' },
    },
  },
};

/** /present and /cleanup; `failures` are the answers every authenticated route shares. */
export function httpreqDocs(failures: Readonly<Record<string, Json>>): Readonly<Record<string, Readonly<Record<string, Json>>>> {
  const op = (operationId: string, summary: string, description: string, ok: string): Json => ({
    summary,
    description,
    operationId,
    security: [{ Basic: [] }],
    requestBody: { required: true, content: json(ref('HttpreqRequest')) },
    responses: {
      '200': response(ok, 'HttpreqResponse'),
      '400': response('malformed_json_payload (not one JSON object), or bad_txt (not 43 characters of base64url).', 'Error'),
      ...failures,
    },
  });
  return {
    '/present': {
      post: op(
        'httpreqPresent',
        "Publish a TXT value at the account's name (lego httpreq)",
        "As /update, with Basic credentials and lego's body. Authenticated as /update, allowfrom included.",
        'The store has the value durably.',
      ),
    },
    '/cleanup': {
      post: op(
        'httpreqCleanup',
        "Withdraw a TXT value from the account's name (lego httpreq)",
        'Removes that one value; the name keeps its others. Authenticated as /update, allowfrom included.',
        'The value is gone (also when it was gone already).',
      ),
    },
  };
}
