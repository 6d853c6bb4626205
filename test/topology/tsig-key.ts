/**
 * A TSIG key for an account of the topology's server, added beside the running server (as the CLI
 * does) for the RFC 2136 clients (lego, certbot's plugin) to sign their UPDATEs with.
 */
import fs from 'node:fs';
import { parseConfig } from '../../src/config';
import { openStore } from '../../src/store';
import type { TsigAlgorithm } from '../../src/store/zone-types';
import { addKey, type ClientKey } from '../support/rfc2136';
import type { TopologyServer } from './acmedns';

/** A key as a client is given it, with the one name it may change. */
export interface AccountKey extends ClientKey {
  /** The account's name, without the final dot. */
  readonly fqdn: string;
}

/** Adds a key with `algorithm` for the account `username` of `server`, through the store its config names. */
export async function addAccountKey(server: TopologyServer, username: string, algorithm: TsigAlgorithm): Promise<AccountKey> {
  const config = parseConfig(fs.readFileSync(server.configFile, 'utf8'), {}, server.configFile);
  const store = await openStore(config.database, config.txt, config.dns.domain);
  try {
    const account = await store.describeAccount(username);
    if (!account) throw new Error(`no account ${username}`);
    return { ...(await addKey(store, username, algorithm)), fqdn: `${account.subdomain}.${config.dns.domain}` };
  } finally {
    await store.close();
  }
}
