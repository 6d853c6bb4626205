/** The body of POST /account/check: `{"domain": "example.com"}` (also `*.example.com`). */
import { parseCheckDomain } from '../../delegation';
import { ApiError } from '../errors';
import { jsonObject, stringField } from './json-object';

/** The domain to check, normalised (lower-case, no `*.`, no final dot): malformed_json_payload, or bad_domain. */
export function decodeCheckBody(raw: Buffer): string {
  const text = stringField(jsonObject(raw), 'domain');
  if (text === undefined) throw new ApiError('malformed_json_payload', 'no domain');
  const domain = parseCheckDomain(text);
  // The text goes to the log only, cut short: it is the client's.
  if (domain === undefined) throw new ApiError('bad_domain', `not a domain name: ${JSON.stringify(text.slice(0, 80))}`);
  return domain;
}
