/** What `acmedns check-delegation` prints: one line per finding, then a verdict. */
import type { Finding } from './checks';

/** The report's lines: `ok` / `FAIL` per finding (fixes indented below), then a one-line verdict. */
export function formatReport(header: string, findings: readonly Finding[]): string {
  const lines = [header];
  for (const f of findings) {
    lines.push(`${f.ok ? 'ok  ' : 'FAIL'}  ${f.text}`);
    if (f.fix !== undefined) lines.push(`      fix: ${f.fix}`);
  }
  const problems = findings.filter((f) => !f.ok).length;
  lines.push(problems === 0 ? 'the delegation is correct' : `${problems} problem${problems === 1 ? '' : 's'} found`);
  return `${lines.join('\n')}\n`;
}
