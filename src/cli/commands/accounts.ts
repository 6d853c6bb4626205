/**
 * `acmedns accounts <subcommand> ...`: the command line of each subcommand, from one table that
 * also writes their lines of `acmedns help`. The work is in accounts/actions.ts.
 */
import { runAccounts, type AccountsAction, type AccountsArgs } from '../accounts';
import { HELP, type Command, type Request } from '../command';
import { MANAGEMENT_OPTIONS, parseCommandLine, refuseOptions, unexpectedArgument } from '../command-line';
import { stdoutOut } from '../output';

export type { AccountsAction, AccountsArgs };

/** What a subcommand takes, and its line of help. */
interface Subcommand {
  /** Its words after the subcommand's name, as the help and the error for a missing one name them. */
  readonly operands: readonly string[];
  /** Its synopsis after the operands ('' for none). */
  readonly synopsis: string;
  readonly description: string;
  /** `--allowfrom` (create). */
  readonly allowfrom?: true;
  /** `--json` (list and show). */
  readonly json?: true;
}

/** The subcommands, in the order `acmedns help` lists them. */
const SUBCOMMANDS: Readonly<Record<AccountsAction, Subcommand>> = {
  list: { operands: [], synopsis: '[--json]', json: true, description: 'every account: values served, last update, allowfrom' },
  show: { operands: ['<account>'], synopsis: '[--json]', json: true, description: 'one account (username or subdomain) and its live values' },
  create: { operands: [], synopsis: '[--allowfrom CIDR,...]', allowfrom: true, description: 'a new account; prints the same JSON as POST /register' },
  delete: { operands: ['<account>'], synopsis: '', description: 'the account and its values (its name becomes NXDOMAIN)' },
  'rotate-password': { operands: ['<account>'], synopsis: '', description: 'a new key; printed once, the old one stops working' },
  'set-allowfrom': { operands: ['<account>', '<CIDR,...|none>'], synopsis: '', description: '' },
  'clear-txt': { operands: ['<account>'], synopsis: '', description: "removes the values the account's name serves" },
};

const ACTIONS = Object.keys(SUBCOMMANDS) as AccountsAction[];

/** Where `acmedns help` starts the descriptions of account management. */
const DESCRIPTION_COLUMN = 46;

/** One line per subcommand: `  accounts <name> <operands> <synopsis>`, the description aligned. */
function overview(): string {
  return ACTIONS.map((action) => {
    const { operands, synopsis, description } = SUBCOMMANDS[action];
    const left = `  ${['accounts', action, ...operands, synopsis].filter((w) => w !== '').join(' ')}`;
    return description === '' ? `${left}\n` : `${left.padEnd(DESCRIPTION_COLUMN)}${description}\n`;
  }).join('');
}

/** A comma-separated list; empty entries dropped. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
}

function parse(argv: readonly string[]): Request<AccountsArgs> {
  const { values, operands: words } = parseCommandLine(argv, MANAGEMENT_OPTIONS);
  if (values.help === true) return HELP;
  const [actionWord, ...operands] = words;
  if (actionWord === undefined) throw new Error(`accounts needs a subcommand: ${ACTIONS.join(', ')}`);
  const action = ACTIONS.find((a) => a === actionWord);
  if (action === undefined) throw new Error(`unknown accounts subcommand: ${actionWord} (one of ${ACTIONS.join(', ')})`);
  const sub = SUBCOMMANDS[action];
  refuseOptions(values, sub.allowfrom === true ? ['allowfrom'] : [], `accounts ${action}`);
  const json = values.json ?? false;
  if (json && sub.json !== true) throw new Error(`--json is an option of accounts list and show, not of ${action}`);
  const arity = sub.operands.length;
  if (operands.length < arity) throw new Error(`accounts ${action} needs ${sub.operands.join(' ')}`);
  const extra = operands[arity];
  if (extra !== undefined) throw unexpectedArgument(extra);

  const base = { action, configFile: values.config, json };
  const target = operands[0] as string;
  switch (action) {
    case 'list':
      return { kind: 'run', args: base };
    case 'create':
      return { kind: 'run', args: { ...base, allowFrom: splitList(values.allowfrom ?? '') } };
    case 'set-allowfrom': {
      const list = operands[1] as string;
      if (list.trim().toLowerCase() === 'none') return { kind: 'run', args: { ...base, target, allowFrom: [] } };
      // An empty list would lift every restriction: only the explicit word does that.
      if (splitList(list).length === 0) throw new Error('accounts set-allowfrom: give CIDR ranges, or none to allow every address');
      return { kind: 'run', args: { ...base, target, allowFrom: splitList(list) } };
    }
    default:
      return { kind: 'run', args: { ...base, target } };
  }
}

/** `acmedns accounts`; its help is the account management section (with audit), as it always was. */
export const accountsCommand: Command<AccountsArgs> = {
  name: 'accounts',
  section: 'account management',
  overview: overview(),
  options: MANAGEMENT_OPTIONS,
  parse,
  run: (args) => runAccounts(args, stdoutOut()),
};
