import { startDaemon } from '../../daemon';
import { createLogger } from '../../log';
import { loadCliConfig } from '../config-file';

/**
 * `acmedns serve`: runs until SIGTERM or SIGINT, then stops listening, finishes in-flight work and
 * closes the store. SIGHUP re-reads the API certificate files.
 */
export async function serve(configFile: string | undefined): Promise<void> {
  const { config } = loadCliConfig(configFile);
  const logger = createLogger(config.log);
  let daemon;
  try {
    daemon = await startDaemon(config, { logger });
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
