/**
 * The shape of every `acmedns <command>`: cli/index.ts lists the commands once, and dispatch,
 * `acmedns help`, `acmedns help <command>` and `<command> --help` all come from that list.
 */
import type { ParseArgsConfig } from 'node:util';

/** util.parseArgs option declarations. */
export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What a command line asks of its command. */
export type Request<Args> =
  | { readonly kind: 'run'; readonly args: Args }
  /** `-h` / `--help`: print the command's help instead of running it. */
  | { readonly kind: 'help' }
  /** `-v` / `--version` anywhere on the server's own command lines (command-line.ts). */
  | { readonly kind: 'version' };

/** The request to print a command's help. */
export const HELP: Request<never> = { kind: 'help' };

/** Which block of `acmedns help` lists a command. */
export type Section = 'commands' | 'account management';

/** One `acmedns <name>` command. */
export interface Command<Args = unknown> {
  readonly name: string;
  /** Its lines in `acmedns help` (each indented, each ending in a newline); empty: not listed. */
  readonly overview: string;
  readonly section: Section;
  /**
   * What `acmedns help <name>` and `<name> --help` print. Left out by accounts and audit: they print
   * their whole section, one block for both, as they always have.
   */
  readonly usage?: string;
  /** Its options besides -c and -h; the dispatcher reads every command's to find the command's name. */
  readonly options: OptionsConfig;
  /** Parses the whole command line (the command's name included); throws one line when it is wrong. */
  parse(argv: readonly string[]): Request<Args>;
  /** Does the work; a failure throws one line, a finding that is not an error sets process.exitCode. */
  run(args: Args): Promise<void>;
}
