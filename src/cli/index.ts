import { isManagementCommand, MANAGEMENT_USAGE, runManagementCommand } from './accounts-command';
import { parseCliArgs, USAGE } from './args';
import { checkConfigCommand } from './commands/check-config';
import { checkDelegationCommand } from './commands/check-delegation';
import { isCheckDelegationCommand } from './check-delegation-args';
import { importCommand } from './commands/import';
import { serve } from './commands/serve';
import { version } from './commands/version';

/** Runs the command line; a wrong command line or config prints one line and sets exit code 1. */
export async function runCli(argv: readonly string[]): Promise<void> {
  try {
    // `accounts ...` and `audit ...` have subcommands and options of their own (accounts-args.ts).
    if (isManagementCommand(argv)) {
      await runManagementCommand(argv);
      return;
    }
    // `check-delegation <domain>` takes a positional and options of its own (check-delegation-args.ts).
    if (isCheckDelegationCommand(argv)) {
      await checkDelegationCommand(argv);
      return;
    }
    const args = parseCliArgs(argv);
    switch (args.command) {
      case 'version':
        process.stdout.write(`acmedns ${version()}\n`);
        return;
      case 'help':
        process.stdout.write(`${USAGE}\n${MANAGEMENT_USAGE}`);
        return;
      case 'check-config':
        checkConfigCommand(args.configFile);
        return;
      case 'import':
        await importCommand({ configFile: args.configFile, from: args.from, dryRun: args.dryRun ?? false });
        return;
      case 'serve':
        await serve(args.configFile);
        return;
    }
  } catch (err) {
    process.stderr.write(`acmedns: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
