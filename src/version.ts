/** The package's version, for `acmedns --version` and GET /status. */
import fs from 'node:fs';
import path from 'node:path';

/** The version in package.json beside src/ or dist/ (this file is directly in either). */
export function packageVersion(): string {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8'));
    const v = typeof parsed === 'object' && parsed !== null ? (parsed as { version?: unknown }).version : undefined;
    return typeof v === 'string' ? v : 'unknown';
  } catch {
    return 'unknown';
  }
}
