/**
 * A TSIG key for an account of the topology's server, made as an operator makes one while the
 * server runs, for the RFC 2136 clients (lego, certbot's plugin) to sign their UPDATEs with.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parseConfig } from '../../src/config';
import { openStore } from '../../src/store';
import type { TsigAlgorithm } from '../../src/store/zone-types';
import type { TopologyServer } from './acmedns';

/** A key as `acmedns accounts tsig add --json` prints it. */
export interface AccountKey {
  /** Without the final dot. */
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  /** Base64, as the clients take it. */
  readonly secret: string;
  /** The account's name: the one name the key may change. */
  readonly fqdn: string;
}

/** Adds a key with `algorithm` for the account `username` of `server` (opened beside it, as the CLI does). */
export async function addAccountKey(server: TopologyServer, username: string, algorithm: TsigAlgorithm): Promise<AccountKey> {
  const config = parseConfig(fs.readFileSync(server.configFile, 'utf8'), {}, server.configFile);
  const store = await openStore(config.database, config.txt, config.dns.domain);
  try {
    const account = await store.describeAccount(username);
    if (!account) throw new Error(`no account ${username}`);
    const secret = crypto.randomBytes(32);
    const name = `${algorithm}-${crypto.randomBytes(4).toString('hex')}.${account.subdomain}.${config.dns.domain}`;
    if (!(await store.addTsigKey(username, { name, algorithm, secret }, Math.floor(Date.now() / 1000)))) throw new Error(`no account ${username}`);
    return { name, algorithm, secret: secret.toString('base64'), fqdn: `${account.subdomain}.${config.dns.domain}` };
  } finally {
    await store.close();
  }
}
