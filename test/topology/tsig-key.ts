/**
 * A TSIG key for an account of the topology's server, made as an operator makes one while the
 * server runs (`acmedns accounts tsig add --json` against its config), for the RFC 2136 clients
 * (lego, certbot's plugin) to sign their UPDATEs with.
 */
import type { TsigAlgorithm } from '../../src/store/zone-types';
import { runCli } from '../support/server-process';
import type { TopologyServer } from './acmedns';

/** A key as `tsig add --json` prints it (the fields the clients take). */
export interface AccountKey {
  /** Without the final dot. */
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  /** Base64, as the clients take it. */
  readonly secret: string;
  /** The account's name: the one name the key may change. */
  readonly fqdn: string;
}

/** Runs `acmedns accounts tsig add <username> --algorithm <algorithm> --json` for `server`'s store. */
export async function addAccountKey(server: TopologyServer, username: string, algorithm: TsigAlgorithm): Promise<AccountKey> {
  const r = await runCli(['accounts', 'tsig', 'add', username, '--algorithm', algorithm, '--json', '-c', server.configFile]);
  if (r.code !== 0) throw new Error(`tsig add failed (exit ${r.code}): ${r.stderr}`);
  const printed = JSON.parse(r.stdout) as Partial<AccountKey>;
  const { name, secret, fqdn } = printed;
  if (typeof name !== 'string' || typeof secret !== 'string' || typeof fqdn !== 'string' || printed.algorithm !== algorithm) {
    throw new Error(`tsig add printed ${r.stdout}`);
  }
  return { name: name.replace(/\.$/, ''), algorithm, secret, fqdn: fqdn.replace(/\.$/, '') };
}
