/**
 * `acmedns accounts ...`: list, show, create, delete, rotate-password, set-allowfrom, clear-txt,
 * tsig add, tsig list, tsig remove, straight on the store the server uses, so they work while it runs. Every change is audited
 * with actor `cli` in the same transaction as the change.
 */
import {
  checkAllowFrom,
  createAccounts,
  defaultServer,
  registrationJson,
  tsigKeyDocument,
  tsigKeyListing,
  type Accounts,
  type ServerAddress,
} from '../../accounts';
import type { Config } from '../../config/types';
import { displayText } from '../../core/display';
import { AccountGoneError, InvalidAllowFromError } from '../../core/errors';
import type { AdminPort, AuditContext } from '../../store';
import type { TsigAlgorithm } from '../../store/types';
import { allowFromText, LIST_HEADER, listRow, showText, summaryJson } from './format';
import { newTsigKeyText, tsigListText } from './tsig-format';
import { resolveAccount, withStore } from '../configured-store';
import type { Out } from '../output';

/** The `accounts` subcommands. */
export type AccountsAction =
  | 'list'
  | 'show'
  | 'create'
  | 'delete'
  | 'rotate-password'
  | 'set-allowfrom'
  | 'clear-txt'
  | 'tsig add'
  | 'tsig list'
  | 'tsig remove';

/** A parsed `acmedns accounts <action> ...` (commands/accounts.ts). */
export interface AccountsArgs {
  readonly action: AccountsAction;
  readonly configFile: string | undefined;
  /** The account named on the command line (username, or subdomain), for all but list and create; tsig remove's key name. */
  readonly target?: string;
  /** `tsig add --algorithm` (parsed); absent: the default. */
  readonly algorithm?: TsigAlgorithm;
  /** `tsig add --server` (parsed); absent: general.nsname on the DNS listen port. */
  readonly server?: ServerAddress;
  /** `create --allowfrom`, `set-allowfrom <list|none>`: the entries, unchecked. */
  readonly allowFrom?: readonly string[];
  readonly json: boolean;
}

/** Accounts fetched per page while listing (keyset pagination: constant cost per page). */
const PAGE = 1000;

const CLI: AuditContext = { actor: 'cli' };

/** An allowfrom list the API would accept, as the API stores it; one line naming the bad entry otherwise. */
function validAllowFrom(list: readonly string[]): string[] {
  try {
    return checkAllowFrom(list);
  } catch (err) {
    if (err instanceof InvalidAllowFromError) throw new Error(`invalid allowfrom: ${err.reason}`);
    throw err;
  }
}

/** Runs an account action; an account gone since it was resolved reads as `unknown account: <target>`. */
async function onAccount<T>(target: string, action: Promise<T>): Promise<T> {
  try {
    return await action;
  } catch (err) {
    if (err instanceof AccountGoneError) throw new Error(`unknown account: ${displayText(target)}`);
    throw err;
  }
}

async function list(store: AdminPort, domain: string, json: boolean, out: Out): Promise<void> {
  await out(json ? '[' : `${LIST_HEADER}\n`);
  let after: string | undefined;
  let first = true;
  for (;;) {
    const page = await store.listAccounts({ ...(after !== undefined ? { after } : {}), limit: PAGE });
    if (page.length === 0) break;
    const lines = page.map((s) => (json ? JSON.stringify(summaryJson(s, domain)) : listRow(s)));
    await out(json ? `${first ? '\n' : ',\n'}${lines.join(',\n')}` : `${lines.join('\n')}\n`);
    first = false;
    after = page[page.length - 1]?.username;
  }
  if (json) await out(first ? ']\n' : '\n]\n');
}

/** The port of the first DNS listen address (`host:port`, `[v6]:port`, `:port`). */
function listenPort(config: Config): number | undefined {
  const port = /:(\d+)$/.exec(config.dns.listen[0] ?? '')?.[1];
  return port === undefined ? undefined : Number(port);
}

/** Runs one `accounts` subcommand, writing its result to `out`. */
export async function runAccounts(args: AccountsArgs, out: Out): Promise<void> {
  // Checked before the store is opened: a wrong list changes nothing and costs nothing.
  const allowFrom = args.allowFrom === undefined ? undefined : validAllowFrom(args.allowFrom);
  await withStore(args.configFile, async (store, config) => {
    const domain = config.dns.domain;
    // No limits: the operator at the console is not a client to hold back.
    const accounts: Accounts = createAccounts({ store, domain });
    const target = args.target ?? '';
    switch (args.action) {
      case 'list':
        return list(store, domain, args.json, out);
      case 'create':
        return out(`${registrationJson(await accounts.register(allowFrom ?? [], CLI))}\n`);
      case 'show': {
        const account = await resolveAccount(store, target);
        const values = (await store.lookup(account.subdomain, Math.floor(Date.now() / 1000)))?.values ?? [];
        return out(
          args.json ? `${JSON.stringify({ ...summaryJson(account, domain), txt: values }, null, 2)}\n` : showText(account, domain, values),
        );
      }
      case 'delete': {
        const account = await resolveAccount(store, target);
        await onAccount(target, accounts.deleteAccount(account.username, CLI));
        return out(`deleted ${displayText(account.username)} (${displayText(`${account.subdomain}.${domain}`, 253)})\n`);
      }
      case 'rotate-password': {
        const account = await resolveAccount(store, target);
        const password = await onAccount(target, accounts.rotatePassword(account.username, CLI));
        // The only time this key is shown: the store keeps its bcrypt hash.
        return out(`${password}\n`);
      }
      case 'set-allowfrom': {
        const account = await resolveAccount(store, target);
        const stored = await onAccount(target, accounts.setAllowFrom(account.username, allowFrom ?? [], CLI));
        return out(`allowfrom of ${displayText(account.username)}: ${allowFromText(stored)}\n`);
      }
      case 'clear-txt': {
        const account = await resolveAccount(store, target);
        const removed = await onAccount(target, accounts.clearTxt(account.subdomain, CLI));
        return out(`removed ${removed} value${removed === 1 ? '' : 's'} of ${displayText(`${account.subdomain}.${domain}`, 253)}\n`);
      }
      case 'tsig add': {
        const account = await resolveAccount(store, target);
        const key = await onAccount(target, accounts.addTsigKey(account, args.algorithm, CLI));
        const doc = tsigKeyDocument(key, args.server ?? defaultServer(config.dns.nsname, listenPort(config)), domain);
        // The only time this secret is shown: compact JSON on one line for scripts, else for people.
        return out(args.json ? `${JSON.stringify(doc)}\n` : newTsigKeyText(doc));
      }
      case 'tsig list': {
        const account = await resolveAccount(store, target);
        const keys = (await accounts.listTsigKeys(account.username)).map(tsigKeyListing);
        return out(args.json ? `${JSON.stringify(keys, null, 2)}\n` : tsigListText(keys, `${account.subdomain}.${domain}`));
      }
      case 'tsig remove': {
        await accounts.removeTsigKey(target, undefined, CLI);
        return out(`removed TSIG key ${displayText(target, 253)}\n`);
      }
    }
  });
}
