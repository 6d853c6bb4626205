import path from 'node:path';
import pino from 'pino';
import pretty from 'pino-pretty';
import type { LogConfig } from '../config/types';
import { createPrivateFile, ensurePrivateDirectory } from './private-file';

/** The logger every part receives; one child per module (`logger.child({ module: 'dns' })`). */
export type Logger = pino.Logger;

/** Keys whose values never reach a log line, wherever they appear. */
const REDACTED = [
  'password',
  'key',
  'apiKey',
  'passwordHash',
  // TSIG secrets (an account's keys, [transfer] tsig_secret), should one ever be passed to a log call.
  'secret',
  'tsig_secret',
  'tsigSecret',
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'headers["x-api-key"]',
  'headers.authorization',
];

/** Builds the process logger from `logconfig`: level, text or JSON, stdout or a file. */
export function createLogger(config: LogConfig): Logger {
  const destination =
    config.type === 'file'
      ? openLogFile(config.file)
      : pino.destination({ fd: 1, sync: true });
  const options: pino.LoggerOptions = {
    level: config.level,
    redact: { paths: REDACTED, censor: '[redacted]' },
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (config.format === 'json') return pino(options, destination);
  const stream = pretty({
    destination,
    colorize: false,
    sync: true,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l o',
    ignore: 'pid,hostname',
    singleLine: true,
  });
  return pino(options, stream);
}

/** A logger that writes nothing, for tests and tools that must stay quiet. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * The log file, created 0600 in a folder created 0700 before pino opens it for appending (its own
 * open would create it with the umask, 0644 under the usual 0022): the lines name client
 * addresses and accounts. An existing file and folder keep their modes.
 */
function openLogFile(file: string): pino.DestinationStream {
  ensurePrivateDirectory(path.dirname(path.resolve(file)));
  createPrivateFile(file);
  return pino.destination({ dest: file, sync: true });
}

export { createLineLimiter, limitedLine, MAX_LIMITED_KEYS, type LimitedLine, type LineLimiter } from './limited-line';
