import { packageVersion } from '../../version';
import type { Command } from '../command';
import { parseServerLine, SERVER_OPTIONS, withoutImportOptions } from '../command-line';

/** The package version (src/version.ts). */
export const version = packageVersion;

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
