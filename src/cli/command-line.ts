/**
 * What the commands' parsers share: util.parseArgs with the common -c/--config and -h/--help, the
 * server's own option set, and the wording of the errors every command line can get.
 */
import { parseArgs } from 'node:util';
import type { Command, OptionsConfig, Request } from './command';

/** Options every command takes. */
const COMMON_OPTIONS = {
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

/** The help lines of -c, shared by `acmedns help` and each command's usage. */
export const CONFIG_OPTION_HELP = `  -c, --config FILE   configuration file (TOML; an acme-dns config.cfg works unchanged).
                      Without it: /etc/acme-dns/config.cfg, then ./config.cfg, as acme-dns.
`;

/** Parses strictly with the common options and `options`; `operands` are the words after the command's name. */
export function parseCommandLine<O extends OptionsConfig>(argv: readonly string[], options: O) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: { ...COMMON_OPTIONS, ...options },
  });
  return { values, operands: positionals.slice(1) };
}

/**
 * The command's name: the first word that is not an option nor an option's value. Every command's
 * options are known here, so `--from x import` and `-c accounts serve` read as they mean.
 */
export function commandName(argv: readonly string[], commands: readonly Command[]): string | undefined {
  const options: OptionsConfig = { ...COMMON_OPTIONS };
  for (const command of commands) Object.assign(options, command.options);
  return parseArgs({ args: [...argv], allowPositionals: true, strict: false, options }).positionals[0];
}

/** The error for a word the command line has no place for. */
export function unexpectedArgument(word: string, hint = ''): Error {
  return new Error(`unexpected argument: ${word}${hint}`);
}

/**
 * Options of serve, check-config, import, version and help, parsed as one set as they always were:
 * `-v` anywhere prints the version, `--from` elsewhere than import is named as import's.
 */
export const SERVER_OPTIONS = {
  version: { type: 'boolean', short: 'v' },
  from: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const satisfies OptionsConfig;

/** A parsed server command line. */
export interface ServerLine {
  readonly configFile: string | undefined;
  readonly from: string | undefined;
  readonly dryRun: boolean | undefined;
  /** Words after the command's name (at most the number the command allows). */
  readonly operands: readonly string[];
}

/** Parses a server command line taking up to `maxOperands` words after the name. */
export function parseServerLine(argv: readonly string[], maxOperands = 0): Request<ServerLine> {
  const { values, operands } = parseCommandLine(argv, SERVER_OPTIONS);
  if (values.version === true) return { kind: 'version' };
  if (values.help === true) return { kind: 'help' };
  const extra = operands[maxOperands];
  if (extra !== undefined) throw unexpectedArgument(extra);
  return { kind: 'run', args: { configFile: values.config, from: values.from, dryRun: values['dry-run'], operands } };
}

/** A server command line other than import's: one that gave --from or --dry-run is wrong. */
export function withoutImportOptions<T>(request: Request<ServerLine>, args: (line: ServerLine) => T): Request<T> {
  if (request.kind !== 'run') return request;
  if (request.args.from !== undefined || request.args.dryRun !== undefined) throw new Error('--from and --dry-run are options of import');
  return { kind: 'run', args: args(request.args) };
}

/**
 * Options of accounts and audit. Each declares the other's too, so a misplaced one is named
 * ("--since is not an option of accounts list") instead of being unknown.
 */
export const MANAGEMENT_OPTIONS = {
  json: { type: 'boolean' },
  allowfrom: { type: 'string' },
  account: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  algorithm: { type: 'string' },
  server: { type: 'string' },
} as const satisfies OptionsConfig;

/** Throws for the first of accounts' and audit's value options given but not in `allowed`. */
export function refuseOptions(values: Readonly<Record<string, unknown>>, allowed: readonly string[], where: string): void {
  const extra = ['allowfrom', 'account', 'since', 'until', 'algorithm', 'server'].find((o) => !allowed.includes(o) && values[o] !== undefined);
  if (extra !== undefined) throw new Error(`--${extra} is not an option of ${where}`);
}
