import { parseArgs } from 'node:util';

/** The subcommands `acmedns` knows. */
export type Command = 'serve' | 'check-config' | 'import' | 'version' | 'help';

/** What the command line asked for. */
export interface CliArgs {
  readonly command: Command;
  /** `-c` / `--config`, when given. */
  readonly configFile: string | undefined;
  /** `import --from`: the acme-dns SQLite file or PostgreSQL URL/DSN. */
  readonly from?: string | undefined;
  /** `import --dry-run`: read and check the source, write nothing. */
  readonly dryRun?: boolean;
}

/** Usage text printed by `acmedns help` and on a wrong command line. */
export const USAGE = `usage: acmedns <command> [-c FILE]

commands:
  serve          run the DNS server and the HTTP API (the default)
  check-config   load and validate the configuration, then exit
  import         copy accounts and TXT values from acme-dns into the configured store:
                 import --from <acme-dns.db file | postgres URL> [--dry-run]
  check-delegation <domain> [--resolver ADDRESS]
                 whether _acme-challenge.<domain> leads by CNAME to an account here and every
                 name server of the zone answers for it; says what to fix (--help for more)
  version        print the version (also --version)

options:
  -c, --config FILE   configuration file (TOML; an acme-dns config.cfg works unchanged).
                      Without it: /etc/acme-dns/config.cfg, then ./config.cfg, as acme-dns.
`;

/** Parses argv (without node and the script); throws with a one-line message on a wrong command line. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      version: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
      from: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
  const configFile = values.config;
  if (values.version) return { command: 'version', configFile };
  if (values.help) return { command: 'help', configFile };
  if (positionals.length > 1) throw new Error(`unexpected argument: ${positionals[1]}`);
  const command = positionals[0] ?? 'serve';
  if (command === 'import') return { command, configFile, from: values.from, dryRun: values['dry-run'] ?? false };
  if (command === 'serve' || command === 'check-config' || command === 'version' || command === 'help') {
    if (values.from !== undefined || values['dry-run'] !== undefined) throw new Error('--from and --dry-run are options of import');
    return { command, configFile };
  }
  throw new Error(`unknown command: ${command}`);
}
