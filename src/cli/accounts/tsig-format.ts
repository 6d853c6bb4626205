/**
 * What `acmedns accounts tsig add` and `tsig list` print for people: the new key once, with every
 * client's settings under a heading, ready to paste; the keys of an account as a table. The
 * settings themselves come from accounts/tsig-settings.ts (the API returns the same).
 */
import type { TsigKeyDocument, TsigKeyListing } from '../../accounts';
import { displayText } from '../../core/display';

/** `NAME=value` lines for a shell, each exported. */
function exportLines(env: Readonly<Record<string, string>>): string {
  // NSUPDATE_KEY is `$PWD/<file>`: double quotes let the shell expand it; values hold no `"`, `\` or backquote.
  return Object.entries(env)
    .map(([k, v]) => `export ${k}="${v}"\n`)
    .join('');
}

/** The new key and every client's settings, for people (`tsig add` without --json). */
export function newTsigKeyText(doc: TsigKeyDocument): string {
  const s = doc.settings;
  const commands = `<<'EOF'\n${s.nsupdateCommands}EOF\n`;
  const certManager =
    s.certManager === null
      ? `# cert-manager has no name for ${doc.algorithm} (it takes hmac-md5, hmac-sha1, hmac-sha256 and hmac-sha512):\n` +
        '# create a key with --algorithm hmac-sha256 for it.\n'
      : '# cert-manager: a Secret in the namespace of the Issuer (for a ClusterIssuer, cert-manager\'s own)\n' +
        `${s.certManager.secret}` +
        '# and the solver, under spec.acme.solvers of the Issuer or ClusterIssuer:\n' +
        `${s.certManager.solver}`;
  const lego =
    s.lego === null
      ? `# lego cannot sign with ${doc.algorithm} ("dns: bad key algorithm"; it takes hmac-sha1 to hmac-sha512):\n` +
        '# create a key with --algorithm hmac-sha256 for it.\n'
      : `# lego (--dns rfc2136; it follows your _acme-challenge CNAME to ${doc.fqdn})\n` +
        exportLines(s.lego) +
        'lego --dns rfc2136 --domains example.com --email you@example.com run\n';
  return [
    `TSIG key for ${doc.fqdn}`,
    `name:      ${doc.name}`,
    `algorithm: ${doc.algorithm}`,
    `secret:    ${doc.secret}`,
    `server:    ${doc.server}  (zone ${doc.zone})`,
    '',
    `The secret is shown only now. The key can add and remove TXT values at ${doc.fqdn} and nothing else;`,
    `point _acme-challenge.<your domain> at that name with a CNAME, as for the HTTP API.`,
    '',
    `# nsupdate (BIND): save this key file as ${s.keyFileName} (chmod 600)`,
    `${s.keyFile}`,
    '# and try it (adds a test value, then removes it):',
    `nsupdate -k ${s.keyFileName} ${commands}`,
    '# or with the key on the command line (other local users can see it in ps):',
    `nsupdate -y ${s.nsupdateKey} ${commands}`,
    '# knsupdate (Knot): the same commands; its -k file holds the -y argument, not the BIND key file',
    `knsupdate -y ${s.nsupdateKey} ${commands}`,
    lego,
    certManager,
    `# acme.sh (dns_nsupdate, with the key file above; --domain-alias writes at ${doc.fqdn} itself)`,
    exportLines(s.acmeSh).trimEnd(),
    s.acmeShCommand,
    '',
  ].join('\n');
}

/** The header of the `tsig list` table. */
export function tsigListHeader(nameWidth: number): string {
  return `${'NAME'.padEnd(nameWidth)}  ${'ALGORITHM'.padEnd(11)}  CREATED`;
}

/** The `tsig list` table: one row per key, names escaped; a line saying so when there is none. */
export function tsigListText(keys: readonly TsigKeyListing[], fqdn: string): string {
  if (keys.length === 0) return `no TSIG keys for ${displayText(fqdn, 253)}\n`;
  const names = keys.map((k) => displayText(k.name, 253));
  const width = Math.max(4, ...names.map((n) => n.length));
  const rows = keys.map((k, i) => `${(names[i] ?? '').padEnd(width)}  ${k.algorithm.padEnd(11)}  ${k.created ?? 'invalid time'}`);
  return `${[tsigListHeader(width), ...rows].join('\n')}\n`;
}
