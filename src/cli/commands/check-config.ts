import { checkConfig } from '../../daemon';
import type { Command } from '../command';
import { CONFIG_OPTION_HELP, parseServerLine, SERVER_OPTIONS, withoutImportOptions } from '../command-line';
import { loadCliConfig } from '../config-file';

/** A parsed `acmedns check-config`. */
export interface CheckConfigArgs {
  readonly configFile: string | undefined;
}

/** Loads and validates everything a start would, then prints a summary. */
function checkConfigFile({ configFile }: CheckConfigArgs): void {
  const { file, config } = loadCliConfig(configFile);
  checkConfig(config);
  for (const warning of config.warnings) process.stdout.write(`warning: ${warning}\n`);
  process.stdout.write(
    `${file}: OK (zone ${config.dns.domain}, DNS ${config.dns.listen.join(' ')} ${config.dns.protocol}, ` +
      `API ${config.api.tls === 'none' ? 'http' : 'https'} ${config.api.ip || '*'}:${config.api.port}, ` +
      `${config.database.engine} store)\n`,
  );
}

/** `acmedns check-config`. */
export const checkConfigCommand: Command<CheckConfigArgs> = {
  name: 'check-config',
  section: 'commands',
  overview: '  check-config   load and validate the configuration, then exit\n',
  usage: `usage: acmedns check-config [-c FILE]

loads and validates the configuration as a start would, prints its warnings and a one-line
summary; when something is wrong, one line names it and the exit code is 1

options:
${CONFIG_OPTION_HELP}`,
  options: SERVER_OPTIONS,
  parse: (argv) => withoutImportOptions(parseServerLine(argv), ({ configFile }) => ({ configFile })),
  run: async (args) => checkConfigFile(args),
};
