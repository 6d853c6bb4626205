/**
 * The bodies of /account/tsig (ours), read as json-object.ts reads our routes' bodies: these
 * routes have no legacy clients whose quirks must pass.
 */
import { ApiError } from '../errors';
import { jsonObject, stringField } from './json-object';

/** POST /account/tsig: the algorithm named, if any. An empty body (or `{}`) asks for the default. */
export function decodeTsigAddBody(raw: Buffer): string | undefined {
  if (raw.toString('utf8').trim() === '') return undefined;
  return stringField(jsonObject(raw), 'algorithm');
}

/** DELETE /account/tsig: the key's name, required. */
export function decodeTsigRemoveBody(raw: Buffer): string {
  const name = stringField(jsonObject(raw), 'name');
  if (name === undefined) throw new ApiError('malformed_json_payload', 'no name');
  return name;
}
