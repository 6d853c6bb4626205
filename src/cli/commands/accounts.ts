/**
 * `acmedns accounts <subcommand> ...`: the command line of each subcommand, from one table that
 * also writes their lines of `acmedns help`. The work is in accounts/actions.ts.
 */
import { DEFAULT_TSIG_ALGORITHM, parseServerAddress, parseTsigAlgorithm, TSIG_ALGORITHM_NAMES } from '../../accounts';
import { displayText } from '../../core/display';
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
  /** Its description: one line, or more when the synopsis leaves no room (each line of it aligned). */
  readonly description: string | readonly string[];
  /** The value options it takes (`--allowfrom`, `--algorithm`, `--server`). */
  readonly options?: readonly ValueOption[];
  /** `--json`. */
  readonly json?: true;
}

/** The value options of accounts subcommands. */
type ValueOption = 'allowfrom' | 'algorithm' | 'server';

/** The subcommands, in the order `acmedns help` lists them. */
const SUBCOMMANDS: Readonly<Record<AccountsAction, Subcommand>> = {
  list: { operands: [], synopsis: '[--json]', json: true, description: 'every account: values served, last update, allowfrom' },
  show: { operands: ['<account>'], synopsis: '[--json]', json: true, description: 'one account (username or subdomain) and its live values' },
  create: { operands: [], synopsis: '[--allowfrom CIDR,...]', options: ['allowfrom'], description: 'a new account; prints the same JSON as POST /register' },
  delete: { operands: ['<account>'], synopsis: '', description: 'the account and its values (its name becomes NXDOMAIN)' },
  'rotate-password': { operands: ['<account>'], synopsis: '', description: 'a new key; printed once, the old one stops working' },
  'set-allowfrom': { operands: ['<account>', '<CIDR,...|none>'], synopsis: '', description: '' },
  'clear-txt': { operands: ['<account>'], synopsis: '', description: "removes the values the account's name serves" },
  'tsig add': {
    operands: ['<account>'],
    synopsis: '[--algorithm NAME] [--server HOST:PORT] [--json]',
    options: ['algorithm', 'server'],
    json: true,
    description: [
      "a TSIG key for RFC 2136 updates of the account's",
      'name, printed once with settings for nsupdate,',
      'knsupdate, lego, cert-manager and acme.sh;',
      `NAME: ${DEFAULT_TSIG_ALGORITHM} (default), ${TSIG_ALGORITHM_NAMES.filter((a) => a !== DEFAULT_TSIG_ALGORITHM).slice(0, 2).join(', ')},`,
      `${TSIG_ALGORITHM_NAMES.filter((a) => a !== DEFAULT_TSIG_ALGORITHM).slice(2).join(', ')}`,
    ],
  },
  'tsig list': { operands: ['<account>'], synopsis: '[--json]', json: true, description: "the account's TSIG keys (never their secrets)" },
  'tsig remove': { operands: ['<key-name>'], synopsis: '', description: 'the TSIG key; updates signed with it are refused' },
};

const ACTIONS = Object.keys(SUBCOMMANDS) as AccountsAction[];

/** The words that may follow `accounts` (tsig's subcommands named once, as `tsig`). */
const FIRST_WORDS = [...new Set(ACTIONS.map((a) => a.split(' ')[0] ?? a))];

/** The subcommands that take --json, as the error for a misplaced one names them. */
const JSON_ACTIONS = ACTIONS.filter((a) => SUBCOMMANDS[a].json === true);

/** Where `acmedns help` starts the descriptions of account management. */
const DESCRIPTION_COLUMN = 46;

/** One line per subcommand: `  accounts <name> <operands> <synopsis>`, the description aligned. */
function overview(): string {
  return ACTIONS.map((action) => {
    const { operands, synopsis, description } = SUBCOMMANDS[action];
    const left = `  ${['accounts', action, ...operands, synopsis].filter((w) => w !== '').join(' ')}`;
    const lines = typeof description === 'string' ? [description].filter((d) => d !== '') : description;
    if (lines.length === 0) return `${left}\n`;
    // A synopsis too long for the column puts the whole description under it, as audit's does.
    const first = left.length < DESCRIPTION_COLUMN ? [`${left.padEnd(DESCRIPTION_COLUMN)}${lines[0] ?? ''}`] : [left, `${''.padEnd(DESCRIPTION_COLUMN)}${lines[0] ?? ''}`];
    return [...first, ...lines.slice(1).map((l) => `${''.padEnd(DESCRIPTION_COLUMN)}${l}`)].map((l) => `${l}\n`).join('');
  }).join('');
}

/** `a`, `a and b`, `a, b and c`. */
function wordList(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}

/** A comma-separated list; empty entries dropped. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
}

/** The action a command line names: its first word, and tsig's second; the operands after them. */
function actionOf(words: readonly string[]): { action: AccountsAction; operands: readonly string[] } {
  const [first, second, ...rest] = words;
  if (first === undefined) throw new Error(`accounts needs a subcommand: ${FIRST_WORDS.join(', ')}`);
  if (first === 'tsig') {
    const tsigWords = ACTIONS.filter((a) => a.startsWith('tsig ')).map((a) => a.slice(5));
    if (second === undefined) throw new Error(`accounts tsig needs a subcommand: ${tsigWords.join(', ')}`);
    const action = ACTIONS.find((a) => a === `tsig ${second}`);
    if (action === undefined) throw new Error(`unknown accounts tsig subcommand: ${second} (one of ${tsigWords.join(', ')})`);
    return { action, operands: rest };
  }
  const action = ACTIONS.find((a) => a === first && !a.includes(' '));
  if (action === undefined) throw new Error(`unknown accounts subcommand: ${first} (one of ${FIRST_WORDS.join(', ')})`);
  return { action, operands: second === undefined ? [] : [second, ...rest] };
}

function parse(argv: readonly string[]): Request<AccountsArgs> {
  const { values, operands: words } = parseCommandLine(argv, MANAGEMENT_OPTIONS);
  if (values.help === true) return HELP;
  const { action, operands } = actionOf(words);
  const sub = SUBCOMMANDS[action];
  refuseOptions(values, sub.options ?? [], `accounts ${action}`);
  const json = values.json ?? false;
  if (json && sub.json !== true) throw new Error(`--json is an option of accounts ${wordList(JSON_ACTIONS)}, not of ${action}`);
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
    case 'tsig add': {
      // Checked here, before any store is opened: a typo costs nothing.
      const algorithm = values.algorithm === undefined ? undefined : parseTsigAlgorithm(values.algorithm);
      const server = values.server === undefined ? undefined : parseServerAddress(values.server);
      if (values.server !== undefined && server === undefined) throw new Error(`--server: not HOST, HOST:PORT or [IPv6]:PORT: ${displayText(values.server)}`);
      return { kind: 'run', args: { ...base, target, ...(algorithm !== undefined ? { algorithm } : {}), ...(server !== undefined ? { server } : {}) } };
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
