/**
 * `acmedns help [<command>]`: the overview of every command, or one command's help, both written
 * from the command table in cli/index.ts.
 */
import type { Command, Section } from '../command';
import { CONFIG_OPTION_HELP, parseServerLine, SERVER_OPTIONS, withoutImportOptions } from '../command-line';

/** A parsed `acmedns help`: the command asked about, if any. */
export interface HelpArgs {
  readonly topic: string | undefined;
}

/** What frames each section's lines in the overview. */
const SECTIONS: Readonly<Record<Section, { readonly head: string; readonly foot: string }>> = {
  commands: { head: 'usage: acmedns <command> [-c FILE]\n\ncommands:\n', foot: `\noptions:\n${CONFIG_OPTION_HELP}` },
  'account management': { head: 'account management (works while the server runs; each takes -c FILE):\n', foot: '' },
};

/** One section of the overview: its heading, every listed command's lines in table order, its footer. */
function sectionText(section: Section, commands: readonly Command[]): string {
  const lines = commands.filter((c) => c.section === section).map((c) => c.overview);
  return `${SECTIONS[section].head}${lines.join('')}${SECTIONS[section].foot}`;
}

/** What `acmedns help` (and `-h` without a command) prints: every section, a blank line between. */
export function overviewText(commands: readonly Command[]): string {
  return (Object.keys(SECTIONS) as Section[]).map((s) => sectionText(s, commands)).join('\n');
}

/** What `help <command>` and `<command> --help` print: its usage, or else its section. */
export function helpText(command: Command, commands: readonly Command[]): string {
  return command.usage ?? sectionText(command.section, commands);
}

/** The help command over `commands()`, the table it is part of (hence a function, read when run). */
export function helpCommand(commands: () => readonly Command[]): Command<HelpArgs> {
  return {
    name: 'help',
    section: 'commands',
    // Not listed: the overview is what it prints, and says --help already where it matters.
    overview: '',
    usage: `usage: acmedns help [<command>]

without a command: every command, as -h does; with one: what that command takes, as its --help does
`,
    options: SERVER_OPTIONS,
    parse: (argv) => {
      const request = parseServerLine(argv, 1);
      // `help --help` is `help`, as it always was.
      if (request.kind === 'help') return { kind: 'run', args: { topic: undefined } };
      return withoutImportOptions(request, ({ operands }) => ({ topic: operands[0] }));
    },
    run: async ({ topic }) => {
      const all = commands();
      if (topic === undefined) {
        process.stdout.write(overviewText(all));
        return;
      }
      const command = all.find((c) => c.name === topic);
      if (command === undefined) throw new Error(`unknown command: ${topic}`);
      process.stdout.write(helpText(command, all));
    },
  };
}
