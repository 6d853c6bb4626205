import fs from 'node:fs';
import path from 'node:path';

/** The package version, read from package.json beside src/ or dist/. */
export function version(): string {
  const file = path.resolve(__dirname, '..', '..', 'package.json');
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const v = typeof parsed === 'object' && parsed !== null ? (parsed as { version?: unknown }).version : undefined;
  return typeof v === 'string' ? v : 'unknown';
}
