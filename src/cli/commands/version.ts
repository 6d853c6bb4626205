import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '../command';
import { parseServerLine, SERVER_OPTIONS, withoutImportOptions } from '../command-line';

/** The package version, read from package.json beside src/ or dist/ (this file is in cli/commands/). */
export function version(): string {
  const file = path.resolve(__dirname, '..', '..', '..', 'package.json');
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const v = typeof parsed === 'object' && parsed !== null ? (parsed as { version?: unknown }).version : undefined;
  return typeof v === 'string' ? v : 'unknown';
}

/** `acmedns version` (and `-v` / `--version` on the server's command lines). */
export const versionCommand: Command<Record<string, never>> = {
  name: 'version',
  section: 'commands',
  overview: '  version        print the version (also --version)\n',
  usage: 'usage: acmedns version (or acmedns --version)\n\nprints the version of acmedns\n',
  options: SERVER_OPTIONS,
  parse: (argv) => withoutImportOptions(parseServerLine(argv), () => ({})),
  run: async () => {
    process.stdout.write(`acmedns ${version()}\n`);
  },
};
