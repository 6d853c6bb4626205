/**
 * `acmedns dnssec ds|status|rollover`: the operator's side of DNSSEC (issue 11): the DS for the
 * parent, the keys and the parent's DS, and the CSK rollover step by step. The work is in cli/dnssec/.
 */
import { parseResolverAddress } from '../../dns/client/ds-query';
import type { ExchangeTarget } from '../../dns/client/exchange';
import { HELP, type Command, type Request } from '../command';
import { CONFIG_OPTION_HELP, parseCommandLine, unexpectedArgument } from '../command-line';
import { runDs } from '../dnssec/ds';
import { withDnssec } from '../dnssec/keyset-store';
import { runRollover } from '../dnssec/rollover';
import { runStatus } from '../dnssec/status';
import { stdoutOut } from '../output';

/** The subcommands. */
export type DnssecAction = 'ds' | 'status' | 'rollover';

/** A parsed `acmedns dnssec` command line. */
export interface DnssecArgs {
  readonly action: DnssecAction;
  readonly configFile: string | undefined;
  readonly json: boolean;
  readonly resolver: ExchangeTarget | undefined;
  readonly force: boolean;
}

const OPTIONS = {
  json: { type: 'boolean' },
  resolver: { type: 'string', multiple: true },
  force: { type: 'boolean' },
} as const;

/** The options each subcommand takes besides -c and -h. */
const TAKES: Readonly<Record<DnssecAction, readonly ('json' | 'resolver' | 'force')[]>> = {
  ds: ['json'],
  status: ['resolver', 'json'],
  rollover: ['resolver', 'force', 'json'],
};
const ACTIONS = Object.keys(TAKES) as DnssecAction[];

const USAGE = `DNSSEC (with [dnssec] enabled = true; works while the server runs):
  dnssec ds [--json] [-c FILE]
                 the DS line for the parent (as keymgr <zone> ds prints it: SHA-256) and the
                 DNSKEY, for the active key and, during a rollover, the new one; makes the key set
                 when the server has not yet
  dnssec status [--resolver HOST:PORT] [--json] [-c FILE]
                 the keys (tag, role, created), the rollover's phase and next step with its
                 earliest time; with --resolver, whether the parent's DS matches (match, missing,
                 only other keys, partial, unreachable; exit code 1 for only other keys and
                 unreachable)
  dnssec rollover [--resolver HOST:PORT] [--force] [--json] [-c FILE]
                 the next step of a key rollover (double signature), or its start; prints what to
                 add or remove at the parent and when to run it again. A step whose precondition
                 is not met (the DS seen at the parent through --resolver, the TTLs elapsed) is
                 refused with what is missing (exit code 1); --force takes it anyway, and may
                 leave the zone bogus until caches expire
  HOST:PORT is an IPv4 address, [IPv6]:PORT, or an address alone (port 53) of a recursive resolver.

${CONFIG_OPTION_HELP}`;

function parse(argv: readonly string[]): Request<DnssecArgs> {
  const { values, operands } = parseCommandLine(argv, OPTIONS);
  if (values.help === true) return HELP;
  const [word, extra] = operands;
  if (word === undefined) throw new Error(`dnssec needs a subcommand: ${ACTIONS.join(', ')}`);
  const action = ACTIONS.find((a) => a === word);
  if (action === undefined) throw new Error(`unknown dnssec subcommand: ${word} (one of ${ACTIONS.join(', ')})`);
  if (extra !== undefined) throw unexpectedArgument(extra);
  for (const option of ['json', 'resolver', 'force'] as const) {
    if (values[option] !== undefined && !TAKES[action].includes(option)) throw new Error(`--${option} is not an option of dnssec ${action}`);
  }
  const resolvers = values.resolver ?? [];
  if (resolvers.length > 1) throw new Error('--resolver: give one resolver');
  const resolverText = resolvers[0];
  const resolver = resolverText === undefined ? undefined : parseResolverAddress(resolverText);
  if (resolverText !== undefined && resolver === undefined) throw new Error(`--resolver: not an IP address, IP:PORT or [IPv6]:PORT: ${resolverText}`);
  return { kind: 'run', args: { action, configFile: values.config, json: values.json ?? false, resolver, force: values.force ?? false } };
}

/** Runs the subcommand against the configured store. */
function run(args: DnssecArgs): Promise<void> {
  const out = stdoutOut();
  const now = Math.floor(Date.now() / 1000);
  return withDnssec(args.configFile, (context) => {
    switch (args.action) {
      case 'ds':
        return runDs(context, out, args.json, now);
      case 'status':
        return runStatus(context, out, { json: args.json, resolver: args.resolver }, now);
      case 'rollover':
        return runRollover(context, out, { json: args.json, force: args.force, resolver: args.resolver }, now);
    }
  });
}

/** `acmedns dnssec`. */
export const dnssecCommand: Command<DnssecArgs> = {
  name: 'dnssec',
  section: 'commands',
  overview:
    '  dnssec ds|status|rollover [--resolver HOST:PORT] [--force] [--json]\n' +
    "                 the DS for the parent, the keys and the parent's DS, a key rollover step by\n" +
    '                 step (--help for more)\n',
  usage: USAGE,
  options: OPTIONS,
  parse,
  run,
};
