/** The OpenAPI description of /account/tsig (routes/tsig.ts), merged into document.ts. */
import { DEFAULT_TSIG_ALGORITHM, MAX_TSIG_KEYS_PER_ACCOUNT, TSIG_ALGORITHM_NAMES } from '../../accounts';

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

const json = (schema: Json): Json => ({ 'application/json': { schema } });
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const response = (description: string, schema?: string): Json =>
  schema === undefined ? { description } : { description, content: json(ref(schema)) };
const text = (description: string): Json => ({ type: 'string', description });
const env = (description: string): Json => ({ type: 'object', additionalProperties: { type: 'string' }, description });

/** The request and response shapes of the three methods. */
export const TSIG_SCHEMAS: Readonly<Record<string, Json>> = {
  TsigAlgorithm: {
    type: 'string',
    enum: [...TSIG_ALGORITHM_NAMES],
    description: 'HMAC algorithm of RFC 8945 §6. Requests may also spell it in upper case, with a final dot, or hmac-md5 as hmac-md5.sig-alg.reg.int.',
  },
  TsigKeyRequest: {
    type: 'object',
    properties: { algorithm: { ...(ref('TsigAlgorithm') as object), description: `Absent: ${DEFAULT_TSIG_ALGORITHM}.` } },
  },
  TsigKeyRemoveRequest: { type: 'object', required: ['name'], properties: { name: text('The key name, any case, with or without the final dot.') } },
  TsigKey: {
    type: 'object',
    required: ['name', 'algorithm', 'secret', 'fqdn', 'server', 'zone', 'settings'],
    properties: {
      name: text('The key name (lower case, without the final dot): <8 hex>.<subdomain>.<zone>.'),
      algorithm: ref('TsigAlgorithm'),
      secret: { type: 'string', contentEncoding: 'base64', description: 'The secret, as long as the hash output. Shown only here.' },
      fqdn: text("The account's name: the only name the key may change (TXT values only)."),
      server: text('host:port that takes RFC 2136 updates.'),
      zone: text('The zone the name lies in.'),
      settings: ref('TsigSettings'),
    },
  },
  TsigSettings: {
    type: 'object',
    required: ['nsupdateKey', 'keyFile', 'keyFileName', 'nsupdateCommands', 'lego', 'certManager', 'acmeSh', 'acmeShCommand'],
    properties: {
      nsupdateKey: text('algorithm:name.:secret, the argument of nsupdate -y and knsupdate -y.'),
      keyFile: text('A BIND key file for nsupdate -k and acme.sh NSUPDATE_KEY.'),
      keyFileName: text('The file name the settings suggest for keyFile.'),
      nsupdateCommands: text('nsupdate/knsupdate commands adding a test value at the name and removing it.'),
      lego: {
        oneOf: [
          { type: 'null', description: 'lego cannot sign with this algorithm (hmac-md5: "dns: bad key algorithm").' },
          env('Environment of lego --dns rfc2136 (RFC2136_*).'),
        ],
      },
      certManager: {
        oneOf: [
          { type: 'null', description: 'cert-manager has no name for this algorithm (hmac-sha224, hmac-sha384).' },
          {
            type: 'object',
            required: ['tsigAlgorithm', 'secret', 'solver'],
            properties: {
              tsigAlgorithm: text("cert-manager's name of the algorithm."),
              secret: text('YAML of a Kubernetes Secret holding the secret.'),
              solver: text('YAML of the spec.acme.solvers entry (rfc2136, cnameStrategy: Follow).'),
            },
          },
        ],
      },
      acmeSh: env('Environment of acme.sh --dns dns_nsupdate (NSUPDATE_*; NSUPDATE_KEY is $PWD/<keyFileName>).'),
      acmeShCommand: text('The acme.sh command, with --domain-alias <fqdn>.'),
    },
  },
  TsigKeyList: {
    type: 'object',
    required: ['fqdn', 'keys'],
    properties: {
      fqdn: text("The account's name."),
      keys: {
        type: 'array',
        description: 'Oldest first; never the secrets.',
        items: {
          type: 'object',
          required: ['name', 'algorithm', 'created'],
          properties: { name: { type: 'string' }, algorithm: ref('TsigAlgorithm'), created: { type: ['string', 'null'], format: 'date-time' } },
        },
      },
    },
  },
};

/** /account/tsig; `failures` are the answers every authenticated route shares. */
export function tsigDocs(failures: Readonly<Record<string, Json>>): Readonly<Record<string, Readonly<Record<string, Json>>>> {
  const security: Json = [{ ApiUser: [], ApiKey: [] }];
  return {
    '/account/tsig': {
      post: {
        summary: 'Create a TSIG key for RFC 2136 updates of your name (acmedns)',
        description:
          'Authenticated as /update, allowfrom included; counted against the account\'s write budget. The key may add and ' +
          `remove TXT values at the account's name only. At most ${MAX_TSIG_KEYS_PER_ACCOUNT} keys per account.`,
        operationId: 'addTsigKey',
        security,
        requestBody: { required: false, content: json(ref('TsigKeyRequest')) },
        responses: {
          '201': { description: 'The key, its secret (shown only here) and every client\'s settings.', headers: { 'Cache-Control': { schema: { type: 'string', const: 'no-store' } } }, content: json(ref('TsigKey')) },
          '400': response('malformed_json_payload, bad_tsig_algorithm, or bad_subdomain (an imported name no key can be made for).', 'Error'),
          '409': response(`tsig_key_limit: the account holds ${MAX_TSIG_KEYS_PER_ACCOUNT} keys already; remove one first.`, 'Error'),
          ...failures,
        },
      },
      get: {
        summary: 'List your TSIG keys (acmedns)',
        description: 'Authenticated as /update, allowfrom included. Names, algorithms and creation times; never a secret.',
        operationId: 'listTsigKeys',
        security,
        responses: { '200': response("The account's keys.", 'TsigKeyList'), ...failures },
      },
      delete: {
        summary: 'Remove one of your TSIG keys (acmedns)',
        description: 'Authenticated as /update, allowfrom included; counted against the write budget. Updates signed with the key are refused from then on.',
        operationId: 'removeTsigKey',
        security,
        requestBody: { required: true, content: json(ref('TsigKeyRemoveRequest')) },
        responses: {
          '204': response('Removed.'),
          '400': response('malformed_json_payload (no name).', 'Error'),
          '404': response('tsig_key_not_found: the account has no key of that name (another account\'s key included).', 'Error'),
          ...failures,
        },
      },
    },
  };
}
