/**
 * The command line: the table of commands, and the dispatch every command line goes through.
 * Each command's usage, parser and action live in commands/<name>.ts.
 */
import type { Command } from './command';
import { commandName, parseServerLine } from './command-line';
import { accountsCommand } from './commands/accounts';
import { auditCommand } from './commands/audit';
import { checkConfigCommand } from './commands/check-config';
import { checkDelegationCommand } from './commands/check-delegation';
import { dnssecCommand } from './commands/dnssec';
import { helpCommand, helpText, overviewText } from './commands/help';
import { importCommand } from './commands/import';
import { serveCommand } from './commands/serve';
import { versionCommand } from './commands/version';

/** Every command, in the order `acmedns help` lists them. */
const COMMANDS: readonly Command[] = [
  serveCommand,
  checkConfigCommand,
  importCommand,
  checkDelegationCommand,
  dnssecCommand,
  versionCommand,
  accountsCommand,
  auditCommand,
  helpCommand(() => COMMANDS),
];

/**
 * A name no command has: its command line is read as the server's (so `-v` and `-h` still work and
 * an extra word is named first), then refused.
 */
function unknownCommand(name: string): Command {
  return {
    name,
    section: 'commands',
    overview: '',
    options: {},
    parse: parseServerLine,
    run: () => Promise.reject(new Error(`unknown command: ${name}`)),
  };
}

/** Runs the command line; a wrong command line or config prints one line and sets exit code 1. */
export async function runCli(argv: readonly string[]): Promise<void> {
  try {
    const name = commandName(argv, COMMANDS);
    const known = COMMANDS.find((c) => c.name === (name ?? serveCommand.name));
    const command = known ?? unknownCommand(name ?? '');
    const request = command.parse(argv);
    switch (request.kind) {
      case 'version':
        return await versionCommand.run({});
      case 'help':
        // Without a command's name (or with one we do not know), -h is `acmedns help`.
        process.stdout.write(name === undefined || known === undefined ? overviewText(COMMANDS) : helpText(command, COMMANDS));
        return;
      case 'run':
        return await command.run(request.args);
    }
  } catch (err) {
    process.stderr.write(`acmedns: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
