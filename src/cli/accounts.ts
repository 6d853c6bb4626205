/**
 * `acmedns accounts ...`: list, show, create, delete, rotate-password, set-allowfrom, clear-txt,
 * straight on the store the server uses, so they work while it runs. Every change is audited
 * with actor `cli` in the same transaction as the change.
 */
import { checkAllowFrom, registerAccount } from '../api';
import { generatePassword, hashPassword } from '../core/credentials';
import { displayText } from '../core/display';
import { ApiError } from '../core/errors';
import type { AdminPort, AuditContext } from '../store';
import type { AccountsArgs } from './accounts-args';
import { allowFromText, LIST_HEADER, listRow, showText, summaryJson } from './accounts-format';
import { resolveAccount, withStore, type Out } from './accounts-store';

/** Accounts fetched per page while listing (keyset pagination: constant cost per page). */
const PAGE = 1000;

const CLI: AuditContext = { actor: 'cli' };

/** An allowfrom list the API would accept, as the API stores it; one line naming the bad entry otherwise. */
function validAllowFrom(list: readonly string[]): string[] {
  try {
    return checkAllowFrom(list);
  } catch (err) {
    if (err instanceof ApiError) throw new Error(`invalid allowfrom: ${err.detail ?? err.code}`);
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

/** Runs one `accounts` subcommand, writing its result to `out`. */
export async function accountsCommand(args: AccountsArgs, out: Out): Promise<void> {
  // Checked before the store is opened: a wrong list changes nothing and costs nothing.
  const allowFrom = args.allowFrom === undefined ? undefined : validAllowFrom(args.allowFrom);
  await withStore(args.configFile, async (store, config) => {
    const domain = config.dns.domain;
    const target = args.target ?? '';
    switch (args.action) {
      case 'list':
        return list(store, domain, args.json, out);
      case 'create':
        return out(`${await registerAccount(store, domain, allowFrom ?? [], CLI)}\n`);
      case 'show': {
        const account = await resolveAccount(store, target);
        const values = (await store.lookup(account.subdomain, Math.floor(Date.now() / 1000)))?.values ?? [];
        return out(
          args.json ? `${JSON.stringify({ ...summaryJson(account, domain), txt: values }, null, 2)}\n` : showText(account, domain, values),
        );
      }
      case 'delete': {
        const account = await resolveAccount(store, target);
        if (!(await store.deleteAccount(account.username, CLI))) throw new Error(`unknown account: ${displayText(target)}`);
        return out(`deleted ${displayText(account.username)} (${displayText(`${account.subdomain}.${domain}`, 253)})\n`);
      }
      case 'rotate-password': {
        const account = await resolveAccount(store, target);
        const password = generatePassword();
        if (!(await store.setPasswordHash(account.username, await hashPassword(password), CLI))) {
          throw new Error(`unknown account: ${displayText(target)}`);
        }
        // The only time this key is shown: the store keeps its bcrypt hash.
        return out(`${password}\n`);
      }
      case 'set-allowfrom': {
        const account = await resolveAccount(store, target);
        if (!(await store.setAllowFrom(account.username, allowFrom ?? [], CLI))) throw new Error(`unknown account: ${displayText(target)}`);
        return out(`allowfrom of ${displayText(account.username)}: ${allowFromText(allowFrom ?? [])}\n`);
      }
      case 'clear-txt': {
        const account = await resolveAccount(store, target);
        const removed = await store.clearTxt(account.subdomain, CLI);
        if (removed === undefined) throw new Error(`unknown account: ${displayText(target)}`);
        return out(`removed ${removed} value${removed === 1 ? '' : 's'} of ${displayText(`${account.subdomain}.${domain}`, 253)}\n`);
      }
    }
  });
}
