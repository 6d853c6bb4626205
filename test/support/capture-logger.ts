import pino from 'pino';
import type { Logger } from '../../src/log';

/** A logger that keeps its lines (parsed JSON) for assertions, and can wait for a message to appear. */
export interface CapturedLog {
  readonly logger: Logger;
  readonly lines: { msg?: string; [key: string]: unknown }[];
  /** Resolves when a line with this msg has been logged (at once if it already was). */
  waitFor(msg: string): Promise<void>;
}

/** Builds a logger writing into memory, at `level` (warn unless said). */
export function captureLogger(level: 'debug' | 'info' | 'warn' = 'warn'): CapturedLog {
  const lines: CapturedLog['lines'] = [];
  const waiters: { msg: string; resolve: () => void }[] = [];
  const logger = pino(
    { level, base: undefined },
    {
      write(line: string) {
        const parsed = JSON.parse(line) as CapturedLog['lines'][number];
        lines.push(parsed);
        for (const w of waiters.filter((x) => x.msg === parsed.msg)) w.resolve();
      },
    },
  );
  return {
    logger,
    lines,
    waitFor: (msg) =>
      lines.some((l) => l.msg === msg) ? Promise.resolve() : new Promise((resolve) => waiters.push({ msg, resolve })),
  };
}
