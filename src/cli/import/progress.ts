/** Where progress goes: stderr, or anything with its shape (tests). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string): boolean;
}

/** A progress display: `update` as work is done, `finish` once at the end. */
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

const number = new Intl.NumberFormat('en-US');

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * One line of progress that fits `columns`: a bar when there is room, then the percentage, the
 * counts, the time so far and, once something is done, the estimated time left.
 */
export function formatProgress(done: number, total: number, elapsedMs: number, columns: number, unit: string): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const eta = done > 0 && done < total ? `  ETA ${seconds((elapsedMs / done) * (total - done))}` : '';
  const tail = `${percent}  ${number.format(done)}/${number.format(total)} ${unit}  ${seconds(elapsedMs)}${eta}`;
  const barWidth = Math.min(30, columns - tail.length - 4);
  if (barWidth < 10) return tail.slice(0, Math.max(0, columns - 1));
  const filled = Math.round(fraction * barWidth);
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${tail}`;
}

/**
 * On a terminal, one line redrawn in place (`\r`, erase to end of line) at most ten times a
 * second; elsewhere (a log, a pipe) a plain line at every tenth of the way, and nothing for
 * small jobs, so logs stay short.
 */
export function createProgress(stream: ProgressStream, unit: string, now: () => number = Date.now): Progress {
  const started = now();
  let lastDraw = -Infinity;
  let lastDecile = 0;
  let drawn: { done: number; total: number } | undefined;
  let last = { done: 0, total: 0 };
  const draw = (): void => {
    const line = formatProgress(last.done, last.total, now() - started, stream.columns || 80, unit);
    stream.write(`\r${line}\x1b[K`);
    drawn = last;
  };
  return {
    update(done, total) {
      last = { done, total };
      if (stream.isTTY) {
        const t = now();
        if (t - lastDraw < 100 && done < total) return;
        lastDraw = t;
        draw();
        return;
      }
      if (total < 10_000) return;
      const decile = Math.floor((done / total) * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        const percent = Math.floor((done / total) * 100);
        stream.write(`${number.format(done)}/${number.format(total)} ${unit} (${percent}%), ${seconds(now() - started)}\n`);
      }
    },
    finish() {
      if (!stream.isTTY) return;
      if (last.total > 0 && last !== drawn) draw();
      if (drawn) stream.write('\n');
    },
  };
}
