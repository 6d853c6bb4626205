/**
 * The command lines of `acmedns accounts ...` and `acmedns audit ...`: parsed here, apart from
 * args.ts, because each subcommand has its own positionals and options.
 */
import { parseArgs } from 'node:util';

/** The `accounts` subcommands. */
export type AccountsAction = 'list' | 'show' | 'create' | 'delete' | 'rotate-password' | 'set-allowfrom' | 'clear-txt';

/** A parsed `acmedns accounts <action> ...`. */
export interface AccountsArgs {
  readonly command: 'accounts';
  readonly action: AccountsAction;
  readonly configFile: string | undefined;
  /** The account named on the command line (username, or subdomain), for all but list and create. */
  readonly target?: string;
  /** `create --allowfrom`, `set-allowfrom <list|none>`: the entries, unchecked. */
  readonly allowFrom?: readonly string[];
  readonly json: boolean;
}

/** A parsed `acmedns audit ...`. */
export interface AuditArgs {
  readonly command: 'audit';
  readonly configFile: string | undefined;
  readonly account?: string;
  readonly since?: string;
  readonly until?: string;
  readonly json: boolean;
}

/** What a management command line asked for; `help` prints MANAGEMENT_USAGE. */
export type ManagementArgs = AccountsArgs | AuditArgs | { readonly command: 'help' };

/** Usage of the management commands (also part of `acmedns help`). */
export const MANAGEMENT_USAGE = `account management (works while the server runs; each takes -c FILE):
  accounts list [--json]                      every account: values served, last update, allowfrom
  accounts show <account> [--json]            one account (username or subdomain) and its live values
  accounts create [--allowfrom CIDR,...]      a new account; prints the same JSON as POST /register
  accounts delete <account>                   the account and its values (its name becomes NXDOMAIN)
  accounts rotate-password <account>          a new key; printed once, the old one stops working
  accounts set-allowfrom <account> <CIDR,...|none>
  accounts clear-txt <account>                removes the values the account's name serves
  audit [--account USERNAME] [--since T] [--until T] [--json]
                                              changes, oldest first; T: ISO time (UTC unless it has
                                              an offset) or a duration ago (30m, 24h, 7d, 1h30m)
`;

const ACTIONS: readonly AccountsAction[] = ['list', 'show', 'create', 'delete', 'rotate-password', 'set-allowfrom', 'clear-txt'];

/** How many positionals (after the action) each action takes. */
const ARITY: Readonly<Record<AccountsAction, number>> = {
  list: 0,
  show: 1,
  create: 0,
  delete: 1,
  'rotate-password': 1,
  'set-allowfrom': 2,
  'clear-txt': 1,
};

/** The first word that is not an option (nor the value of -c): the command. */
function firstCommandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] as string;
    if (token === '-c' || token === '--config') i += 1;
    else if (!token.startsWith('-')) return token;
  }
  return undefined;
}

/** True when the command line is `accounts ...` or `audit ...` (options may come first). */
export function isManagementCommand(argv: readonly string[]): boolean {
  const word = firstCommandWord(argv);
  return word === 'accounts' || word === 'audit';
}

/** A comma-separated list; empty entries dropped. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
}

/** Parses a management command line; throws with a one-line message when it is wrong. */
export function parseManagementArgs(argv: readonly string[]): ManagementArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      json: { type: 'boolean' },
      allowfrom: { type: 'string' },
      account: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { command: 'help' };
  const [command, ...rest] = positionals;
  const configFile = values.config;
  const json = values.json ?? false;
  const only = (allowed: readonly string[], where: string): void => {
    const extra = ['allowfrom', 'account', 'since', 'until'].find((o) => !allowed.includes(o) && values[o as keyof typeof values] !== undefined);
    if (extra !== undefined) throw new Error(`--${extra} is not an option of ${where}`);
  };

  if (command === 'audit') {
    only(['account', 'since', 'until'], 'audit');
    if (rest.length > 0) throw new Error(`unexpected argument: ${rest[0]} (audit takes --account, --since, --until)`);
    return {
      command,
      configFile,
      json,
      ...(values.account !== undefined ? { account: values.account } : {}),
      ...(values.since !== undefined ? { since: values.since } : {}),
      ...(values.until !== undefined ? { until: values.until } : {}),
    };
  }

  const [actionWord, ...operands] = rest;
  if (actionWord === undefined) throw new Error(`accounts needs a subcommand: ${ACTIONS.join(', ')}`);
  const action = ACTIONS.find((a) => a === actionWord);
  if (action === undefined) throw new Error(`unknown accounts subcommand: ${actionWord} (one of ${ACTIONS.join(', ')})`);
  only(action === 'create' ? ['allowfrom'] : [], `accounts ${action}`);
  if (json && action !== 'list' && action !== 'show') throw new Error(`--json is an option of accounts list and show, not of ${action}`);
  const arity = ARITY[action];
  if (operands.length < arity) {
    throw new Error(`accounts ${action} needs ${action === 'set-allowfrom' ? '<account> <CIDR,...|none>' : '<account>'}`);
  }
  if (operands.length > arity) throw new Error(`unexpected argument: ${operands[arity]}`);

  const base = { command: 'accounts' as const, action, configFile, json };
  switch (action) {
    case 'list':
      return base;
    case 'create':
      return { ...base, allowFrom: splitList(values.allowfrom ?? '') };
    case 'set-allowfrom': {
      const list = operands[1] as string;
      if (list.trim().toLowerCase() === 'none') return { ...base, target: operands[0] as string, allowFrom: [] };
      // An empty list would lift every restriction: only the explicit word does that.
      if (splitList(list).length === 0) throw new Error('accounts set-allowfrom: give CIDR ranges, or none to allow every address');
      return { ...base, target: operands[0] as string, allowFrom: splitList(list) };
    }
    default:
      return { ...base, target: operands[0] as string };
  }
}
