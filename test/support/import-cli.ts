/** Reading `acmedns import`'s summary. */

/** A summary line's number: `  created        1,203` -> 1203; throws when the line is missing. */
export function summaryCount(stdout: string, label: string): number {
  const line = stdout.split('\n').find((l) => l.trimStart().startsWith(label));
  if (!line) throw new Error(`no "${label}" line in:\n${stdout}`);
  return Number(line.trim().split(/\s+/).pop()?.replace(/,/g, ''));
}
