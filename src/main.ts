#!/usr/bin/env node
import { runCli } from './cli';

// A rejection or exception nobody handled means a bug whose state we cannot trust: say so and exit,
// so the supervisor restarts a clean process. Bad input never gets here: every transport guards it.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`acmedns: unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`);
  process.exit(70);
});
process.on('uncaughtException', (err) => {
  process.stderr.write(`acmedns: uncaught exception: ${err.stack ?? err.message}\n`);
  process.exit(70);
});

void runCli(process.argv.slice(2));
