/**
 * What check-delegation concludes, in the order a CA follows the path (RFC 8555 §8.4: it asks for
 * TXT at `_acme-challenge.<domain>` and follows CNAMEs): the CNAME, the account it leads to, then
 * each name server of our zone asked directly. Every problem comes with what to fix.
 */
import { describeDnsError, isNegativeAnswer, type DelegationDns } from './dns';

/** One line of the report. */
export interface Finding {
  readonly ok: boolean;
  readonly text: string;
  /** For problems: what to change. */
  readonly fix?: string;
}

/** What the check needs besides DNS. */
export interface DelegationInput {
  /** The domain a certificate is wanted for (normalised). */
  readonly domain: string;
  /** Our zone (`general.domain`). */
  readonly zone: string;
  /** Whether an account has this subdomain label, and how many TXT values it serves now. */
  readonly account: (label: string) => Promise<{ readonly values: number } | undefined>;
  /**
   * The subdomain of the account asking (the API's signed-in account): the CNAME must lead to it,
   * and the fixes name it. Absent (the CLI): any account of the zone will do.
   */
  readonly ownSubdomain?: string;
}

/** CNAME hops followed at most (resolvers stop near here too). */
const MAX_HOPS = 8;

const ok = (text: string): Finding => ({ ok: true, text });
const fail = (text: string, fix: string): Finding => ({ ok: false, text, fix });
const values = (n: number): string => (n === 1 ? '1 TXT value' : `${n} TXT values`);

/** The account label `target` names in `zone` (one label under it), or undefined. */
export function accountLabelOf(target: string, zone: string): string | undefined {
  const name = target.toLowerCase().replace(/\.$/, '');
  if (!name.endsWith(`.${zone}`)) return undefined;
  const label = name.slice(0, -(zone.length + 1));
  return label !== '' && !label.includes('.') ? label : undefined;
}

/** Follows the CNAME chain from `name`; the findings, and the end of the chain when there is one. */
async function followCname(dns: DelegationDns, name: string, zone: string, want: string): Promise<{ findings: Finding[]; target?: string }> {
  const chain: string[] = [];
  let current = name;
  let ended = false;
  for (let hop = 0; hop < MAX_HOPS && !ended; hop++) {
    let targets: string[];
    try {
      targets = await dns.cname(current);
    } catch (err) {
      if (!isNegativeAnswer(err)) {
        return { findings: [fail(`the resolver could not look up ${current}: ${describeDnsError(err)}`, 'check the resolver, or the zone of that name')] };
      }
      if (chain.length > 0) {
        ended = true; // the end of the chain
        continue;
      }
      const how = (err as { code?: string }).code === 'ENODATA' ? 'exists but is no CNAME' : 'does not exist';
      const txt = await dns.txt(name).catch(() => []);
      const hint = txt.length > 0 ? ` (it holds ${values(txt.length)} itself: remove them, the CNAME replaces them)` : '';
      return {
        findings: [
          fail(`${name} ${how}${hint}`, `create ${name}. CNAME ${want}. (the fulldomain /register or "acmedns accounts create" gave your account)`),
        ],
      };
    }
    const next = (targets[0] ?? '').toLowerCase().replace(/\.$/, '');
    if (chain.includes(next) || next === name) {
      return { findings: [fail(`the CNAME chain from ${name} loops (${[name, ...chain, next].join(' -> ')})`, `point ${name} straight at ${want}`)] };
    }
    chain.push(next);
    current = next;
  }
  const target = chain[chain.length - 1] as string;
  const path = [name, ...chain].join(' -> ');
  if (!ended) return { findings: [fail(`more than ${MAX_HOPS} CNAMEs from ${name} (${path})`, `point ${name} straight at ${want}`)] };
  if (accountLabelOf(target, zone) === undefined) {
    const where = target === zone || target.endsWith(`.${zone}`) ? `, which is in ${zone} but not an account's name` : `, which is not in ${zone}`;
    const via = chain.length > 1 ? ` (${path})` : '';
    return { findings: [fail(`the CNAME points to ${target}${where}${via}`, `make ${name} a CNAME to ${want}`)] };
  }
  return { findings: [ok(chain.length === 1 ? `${name} is a CNAME to ${target}` : `${name} leads by CNAME to ${target} (${path})`)], target };
}

/**
 * Our zone's name servers and, asked directly, what each says about `target` (the zone's apex
 * when there is none). `known`: whether the store has the account (a name server that says
 * NXDOMAIN for a known account serves another database).
 */
async function checkNameServers(dns: DelegationDns, zone: string, target: string | undefined, known: boolean): Promise<Finding[]> {
  let names: string[];
  try {
    names = (await dns.ns(zone)).map((n) => n.toLowerCase());
  } catch (err) {
    return [fail(`the name servers of ${zone} cannot be found through the resolver: ${describeDnsError(err)}`, `delegate ${zone} in its parent zone: ${zone}. NS <this server's name>. with its A/AAAA (glue)`)];
  }
  if (names.length === 0) return [fail(`${zone} has no NS records`, `delegate ${zone} in its parent zone`)];
  const findings: Finding[] = [ok(`name servers of ${zone}: ${names.join(', ')}`)];
  const asked = target ?? zone;
  for (const ns of names) {
    let addresses: string[];
    try {
      addresses = await dns.addresses(ns);
    } catch (err) {
      findings.push(fail(`name server ${ns}: its address cannot be looked up: ${describeDnsError(err)}`, `give ${ns} an A or AAAA record`));
      continue;
    }
    if (addresses.length === 0) findings.push(fail(`name server ${ns} has no A or AAAA record`, `give ${ns} an address (glue in the parent zone when it is inside ${zone})`));
    for (const address of addresses) {
      const who = `name server ${ns} (${address})`;
      try {
        const found = await dns.txtAt(address, asked);
        findings.push(ok(`${who} answers for ${asked}: ${values(found.length)}`));
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'ENODATA') {
          findings.push(ok(`${who} answers for ${asked}: no TXT value${target === undefined ? '' : ' yet'}`));
        } else if (code === 'ENOTFOUND' && !known) {
          findings.push(ok(`${who} answers for ${asked}: no such name, as no account has it`));
        } else if (code === 'ENOTFOUND') {
          findings.push(fail(`${who} says ${asked} does not exist`, 'run it with the same database as this configuration (several instances share one PostgreSQL)'));
        } else {
          findings.push(fail(`${who} did not answer: ${describeDnsError(err)}`, `check that acmedns runs there and that port 53 (UDP and TCP) is reachable from the Internet`));
        }
      }
    }
  }
  return findings;
}

/** The end-to-end view: TXT at the challenge name through the resolver, as a CA asks for it. */
async function throughResolver(dns: DelegationDns, name: string, zone: string): Promise<Finding> {
  try {
    return ok(`through the resolver ${name} shows ${values((await dns.txt(name)).length)} (what a CA sees)`);
  } catch (err) {
    if (isNegativeAnswer(err)) return ok(`through the resolver ${name} shows no TXT value yet (what a CA sees)`);
    return fail(`through the resolver, TXT at ${name} fails: ${describeDnsError(err)}`, `check the delegation of ${zone} in its parent zone (NS and glue) and DNSSEC`);
  }
}

/** Whether the account the CNAME leads to is the one asking: another account's name would serve it nothing. */
function ownership(name: string, label: string, own: string, zone: string): Finding {
  if (label === own) return ok(`${label} is the account you are signed in with`);
  return fail(`the CNAME leads to account ${label}, not to the account you are signed in with (${own})`, `make ${name} a CNAME to ${own}.${zone}.`);
}

/** Runs every check for `_acme-challenge.<domain>`. */
export async function checkDelegation(dns: DelegationDns, input: DelegationInput): Promise<Finding[]> {
  const name = `_acme-challenge.${input.domain}`;
  const own = input.ownSubdomain?.toLowerCase();
  const cname = await followCname(dns, name, input.zone, `${own ?? '<subdomain>'}.${input.zone}`);
  const findings = [...cname.findings];
  const label = cname.target === undefined ? undefined : accountLabelOf(cname.target, input.zone);
  const account = label === undefined ? undefined : await input.account(label);
  if (label !== undefined) {
    findings.push(
      account === undefined
        ? fail(`no account has subdomain ${label}`, `register one (POST /register or "acmedns accounts create") and point ${name} at its fulldomain, or fix the CNAME`)
        : ok(`an account has subdomain ${label} (${account.values === 0 ? 'no TXT value yet' : `${values(account.values)} live`})`),
    );
    if (own !== undefined) findings.push(ownership(name, label, own, input.zone));
  }
  findings.push(...(await checkNameServers(dns, input.zone, cname.target, account !== undefined)));
  if (account !== undefined) findings.push(await throughResolver(dns, name, input.zone));
  return findings;
}
