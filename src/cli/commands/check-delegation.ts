/**
 * `acmedns check-delegation <domain>`: whether a CA following `_acme-challenge.<domain>` reaches an
 * account on this server, in plain words, with what to fix. Reads the zone and the store from the
 * configuration (the store the server uses, opened beside it), asks DNS through a resolver.
 */
import { openStore } from '../../store';
import { checkDelegation, formatReport, nodeDelegationDns, parseCheckDomain, type Finding } from '../../delegation';
import { HELP, type Command, type Request } from '../command';
import { parseCommandLine, unexpectedArgument } from '../command-line';
import { loadCliConfig } from '../config-file';
import { requireStoreFile } from '../configured-store';

/** A parsed check-delegation command line. */
export interface CheckDelegationArgs {
  /** The domain a certificate is wanted for, lower-case, without `*.` and the final dot. */
  readonly domain: string;
  /** Resolver addresses for node:dns `setServers` (`ip`, `ip:port`, `[v6]:port`); empty: the system's. */
  readonly resolvers: readonly string[];
  readonly configFile: string | undefined;
}

const NAME = 'check-delegation';

/** Usage, printed by `check-delegation --help`. */
const USAGE = `delegation check:
  check-delegation <domain> [--resolver ADDRESS] [-c FILE]
                 asks a resolver (default: those of /etc/resolv.conf; ADDRESS is ip or ip:port,
                 repeatable) whether _acme-challenge.<domain> leads by CNAME to an account of this
                 server's store, and asks each name server of the zone for that account's name;
                 says what to fix; exit code 0 when all is well, 1 otherwise
`;

const OPTIONS = { resolver: { type: 'string', multiple: true } } as const;

function parse(argv: readonly string[]): Request<CheckDelegationArgs> {
  const { values, operands } = parseCommandLine(argv, OPTIONS);
  const [domainText, extra] = operands;
  if (extra !== undefined) throw unexpectedArgument(extra);
  if (values.help === true) return HELP;
  if (domainText === undefined) throw new Error(`${NAME} needs a domain: ${NAME} <domain> [--resolver ADDRESS] [-c FILE]`);
  const domain = parseCheckDomain(domainText);
  if (domain === undefined) throw new Error(`not a domain name: ${domainText}`);
  return { kind: 'run', args: { domain, resolvers: values.resolver ?? [], configFile: values.config } };
}

/** Runs the check; exit code 1 when a problem was found. */
async function run(args: CheckDelegationArgs): Promise<void> {
  const { file, config } = loadCliConfig(args.configFile);
  requireStoreFile(file, config);
  const dns = nodeDelegationDns(args.resolvers);
  // One name looked up: no index of every account (store/sqlite/account-source.ts).
  const store = await openStore(config.database, config.txt, config.dns.domain, undefined, { servesDns: false });
  let findings: Finding[];
  try {
    const now = Math.floor(Date.now() / 1000);
    findings = await checkDelegation(dns, {
      domain: args.domain,
      zone: config.dns.domain,
      account: async (label) => {
        const data = await store.lookup(label, now);
        return data === undefined ? undefined : { values: data.values.length };
      },
    });
  } finally {
    await store.close();
  }
  const header = `checking _acme-challenge.${args.domain} (zone ${config.dns.domain}, resolver ${dns.resolvers.join(', ')})`;
  process.stdout.write(formatReport(header, findings));
  if (findings.some((f) => !f.ok)) process.exitCode = 1;
}

/** `acmedns check-delegation`. */
export const checkDelegationCommand: Command<CheckDelegationArgs> = {
  name: NAME,
  section: 'commands',
  overview:
    '  check-delegation <domain> [--resolver ADDRESS]\n' +
    '                 whether _acme-challenge.<domain> leads by CNAME to an account here and every\n' +
    '                 name server of the zone answers for it; says what to fix (--help for more)\n',
  usage: USAGE,
  options: OPTIONS,
  parse,
  run,
};
