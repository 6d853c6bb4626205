/**
 * `acmedns check-delegation <domain>`: whether a CA following `_acme-challenge.<domain>` reaches an
 * account on this server, in plain words, with what to fix. Reads the zone and the store from the
 * configuration (the store the server uses, opened beside it), asks DNS through a resolver.
 */
import fs from 'node:fs';
import { openStore } from '../../store';
import { CHECK_DELEGATION_USAGE, parseCheckDelegationArgs } from '../check-delegation-args';
import { checkDelegation, type Finding } from '../check-delegation/checks';
import { nodeDelegationDns } from '../check-delegation/dns';
import { loadCliConfig } from '../config-file';

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

/** Runs the command; exit code 1 when a problem was found (or the command line is wrong: thrown). */
export async function checkDelegationCommand(argv: readonly string[]): Promise<void> {
  const args = parseCheckDelegationArgs(argv);
  if (args.help) {
    process.stdout.write(CHECK_DELEGATION_USAGE);
    return;
  }
  const { file, config } = loadCliConfig(args.configFile);
  const { engine, connection } = config.database;
  if (engine === 'sqlite' && connection !== ':memory:' && !fs.existsSync(connection)) {
    throw new Error(`no store at ${connection} (database.connection in ${file}); has the server run with this configuration?`);
  }
  const dns = nodeDelegationDns(args.resolvers);
  const store = await openStore(config.database, config.txt);
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
