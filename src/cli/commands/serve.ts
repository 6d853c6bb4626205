import { startDaemon } from '../../daemon';
import { createLogger } from '../../log';
import type { Command } from '../command';
import { CONFIG_OPTION_HELP, parseServerLine, SERVER_OPTIONS, withoutImportOptions } from '../command-line';
import { loadCliConfig } from '../config-file';

/** A parsed `acmedns serve`. */
export interface ServeArgs {
  readonly configFile: string | undefined;
}

/**
 * `acmedns serve`: runs until SIGTERM or SIGINT, then stops listening, finishes in-flight work and
 * closes the store. SIGHUP re-reads the API certificate files.
 */
async function serve({ configFile }: ServeArgs): Promise<void> {
  const { config, source } = loadCliConfig(configFile);
  const logger = createLogger(config.log);
  let daemon;
  try {
    daemon = await startDaemon(config, { logger, configSource: source });
  } catch (err) {
    logger.fatal(`cannot start: ${(err as Error).message}`);
    process.exitCode = 1;
    return;
  }
  const running = daemon;
  const shutdown = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'stopping');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  process.on('SIGHUP', () => {
    logger.info('SIGHUP: reloading the certificate');
    running.reload().catch((err: unknown) => logger.error({ err }, 'reload failed'));
  });
}

/** `acmedns serve`, also what runs when the command line names no command. */
export const serveCommand: Command<ServeArgs> = {
  name: 'serve',
  section: 'commands',
  overview: '  serve          run the DNS server and the HTTP API (the default)\n',
  usage: `usage: acmedns [serve] [-c FILE]

runs the DNS server and the HTTP API until SIGTERM or SIGINT; SIGHUP re-reads the API certificate

options:
${CONFIG_OPTION_HELP}`,
  options: SERVER_OPTIONS,
  parse: (argv) => withoutImportOptions(parseServerLine(argv), ({ configFile }) => ({ configFile })),
  run: serve,
};
