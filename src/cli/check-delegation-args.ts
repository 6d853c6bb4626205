/**
 * `acmedns check-delegation <domain> [--resolver ADDRESS] [-c FILE]`: its command line and the
 * names it works with, parsed apart from args.ts because it takes a positional and options of its own.
 */
import { parseArgs } from 'node:util';

/** A parsed check-delegation command line. */
export interface CheckDelegationArgs {
  /** The domain a certificate is wanted for, lower-case, without `*.` and the final dot. */
  readonly domain: string;
  /** Resolver addresses for node:dns `setServers` (`ip`, `ip:port`, `[v6]:port`); empty: the system's. */
  readonly resolvers: readonly string[];
  readonly configFile: string | undefined;
  readonly help: boolean;
}

/** Usage, printed by `check-delegation --help` and part of `acmedns help`. */
export const CHECK_DELEGATION_USAGE = `delegation check:
  check-delegation <domain> [--resolver ADDRESS] [-c FILE]
                 asks a resolver (default: those of /etc/resolv.conf; ADDRESS is ip or ip:port,
                 repeatable) whether _acme-challenge.<domain> leads by CNAME to an account of this
                 server's store, and asks each name server of the zone for that account's name;
                 says what to fix; exit code 0 when all is well, 1 otherwise
`;

const COMMAND = 'check-delegation';

/** True when the first word that is not an option (nor an option's value) is `check-delegation`. */
export function isCheckDelegationCommand(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] as string;
    if (token === '-c' || token === '--config' || token === '--resolver') i += 1;
    else if (!token.startsWith('-')) return token === COMMAND;
  }
  return false;
}

/** `*.Example.COM.` -> `example.com`: the name whose `_acme-challenge` label a CA asks for (RFC 8555 §8.4). */
export function normaliseDomain(input: string): string {
  return input.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
}

/** Parses argv (without node and the script); throws one line on a wrong command line. */
export function parseCheckDelegationArgs(argv: readonly string[]): CheckDelegationArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      resolver: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, domainText, extra] = positionals;
  if (command !== COMMAND) throw new Error(`not a ${COMMAND} command line`);
  const help = values.help ?? false;
  if (extra !== undefined) throw new Error(`unexpected argument: ${extra}`);
  if (domainText === undefined && !help) throw new Error(`${COMMAND} needs a domain: ${COMMAND} <domain> [--resolver ADDRESS] [-c FILE]`);
  const domain = normaliseDomain(domainText ?? '');
  if (!help && !/^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/.test(domain)) {
    throw new Error(`not a domain name: ${domainText ?? ''}`);
  }
  return { domain, resolvers: values.resolver ?? [], configFile: values.config, help };
}
