import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import pretty from 'pino-pretty';
import type { LogConfig } from '../config/types';

/** The logger every part receives; one child per module (`logger.child({ module: 'dns' })`). */
export type Logger = pino.Logger;

/** Keys whose values never reach a log line, wherever they appear. */
const REDACTED = [
  'password',
  'key',
  'apiKey',
  'passwordHash',
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

function openLogFile(file: string): pino.DestinationStream {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return pino.destination({ dest: file, sync: true, mkdir: true });
}

export { limitedLine, type LimitedLine } from './limited-line';
