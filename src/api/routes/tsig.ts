/**
 * POST, GET and DELETE /account/tsig (ours): an account creates, lists and removes its own TSIG
 * keys for RFC 2136 updates of its name. Authenticated exactly as /update (same chain, same 401,
 * allowfrom and the failed-authentication limits apply): a key can change the account's name, so
 * minting one is no less sensitive than writing a value. Creating and removing count against the
 * account's write budget. The secret is in the 201's body only, never stored by caches nor logged
 * (the request log names routes and outcomes, never bodies: telemetry/request-log.ts).
 */
import { tsigKeyDocument, tsigKeyListing, type Accounts, type ServerAddress } from '../../accounts';
import { decodeTsigAddBody, decodeTsigRemoveBody } from '../bodies/tsig';
import type { Handler } from '../context';
import { jsonReply } from '../http/reply';
import { authorise } from './authorise';

/** What the TSIG key routes need. */
export interface TsigRouteDeps {
  readonly accounts: Accounts;
  /** The zone, for `fqdn` and the settings. */
  readonly domain: string;
  /** Where the settings send RFC 2136 updates. */
  readonly server: ServerAddress;
}

/** POST /account/tsig: 201 with the new key (its secret, shown this once) and every client's settings. */
export function addTsigKeyHandler(deps: TsigRouteDeps): Handler {
  return async (ctx) => {
    const { account, raw } = await authorise(deps.accounts, ctx);
    const algorithm = decodeTsigAddBody(raw);
    const key = await deps.accounts.addTsigKey(account, algorithm, { actor: 'api', client: ctx.client.text });
    const reply = jsonReply(201, JSON.stringify(tsigKeyDocument(key, deps.server, deps.domain)));
    // A secret: no cache on the way may keep it (RFC 9111 §5.2.2.5).
    return { ...reply, headers: { ...reply.headers, 'Cache-Control': 'no-store' } };
  };
}

/** GET /account/tsig: 200 with the account's keys, oldest first: names, algorithms, creation times; never secrets. */
export function listTsigKeysHandler(deps: TsigRouteDeps): Handler {
  return async (ctx) => {
    const { account } = await authorise(deps.accounts, ctx);
    const keys = (await deps.accounts.listTsigKeys(account.username)).map(tsigKeyListing);
    return jsonReply(200, JSON.stringify({ fqdn: `${account.subdomain}.${deps.domain}`, keys }));
  };
}

/** DELETE /account/tsig with `{"name": "<key name>"}`: 204 once the key is gone; 404 when the account has no such key. */
export function removeTsigKeyHandler(deps: TsigRouteDeps): Handler {
  return async (ctx) => {
    const { account, raw } = await authorise(deps.accounts, ctx);
    const name = decodeTsigRemoveBody(raw);
    await deps.accounts.removeTsigKey(name, account, { actor: 'api', client: ctx.client.text });
    return { status: 204, headers: {}, body: '' };
  };
}
