/** Entry of the management commands (`accounts ...`, `audit ...`), called by cli/index.ts. */
import { isManagementCommand, MANAGEMENT_USAGE, parseManagementArgs } from './commands/accounts';
import { accountsCommand } from './accounts/actions';
import { stdoutOut } from './configured-store';
import { auditCommand } from './commands/audit';

export { isManagementCommand, MANAGEMENT_USAGE };

/** Runs `acmedns accounts ...` or `acmedns audit ...`; a wrong command line or an unknown account throws one line. */
export async function runManagementCommand(argv: readonly string[]): Promise<void> {
  const args = parseManagementArgs(argv);
  if (args.command === 'help') {
    process.stdout.write(MANAGEMENT_USAGE);
    return;
  }
  if (args.command === 'audit') {
    await auditCommand(args, stdoutOut());
    return;
  }
  await accountsCommand(args, stdoutOut());
}
