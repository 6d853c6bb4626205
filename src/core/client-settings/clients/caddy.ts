/**
 * Caddy with the caddy-dns/acmedns module (libdns/acmedns). The account goes in a JSON file the
 * module reads (`dns acmedns <file>`, its single-account form: username, password, subdomain,
 * server_url) rather than in the Caddyfile: JSON needs no Caddyfile quoting, the module does not
 * run placeholders over a password read from the file, and the key stays out of a file that is
 * often world-readable or in version control.
 */
import { cnameLines, type SettingsContext } from '../context';
import { asciiJson } from '../quote';
import type { ClientSettings } from '../types';

/** Where the settings put Caddy's acme-dns account file. */
export const CADDY_ACCOUNT_FILE = '/etc/caddy/acmedns.json';

/** Caddy: a site block whose certificate is obtained through the account, and the account file. */
export function caddySettings(ctx: SettingsContext): ClientSettings {
  const caddyfile = [
    '# Caddy with acmedns: needs the caddy-dns/acmedns module',
    '#   xcaddy build --with github.com/caddy-dns/acmedns',
    `# The account is read from ${CADDY_ACCOUNT_FILE}. The CNAME record(s) to create first:`,
    cnameLines(ctx, '#   '),
    '',
    // Site addresses are validated names: letters, digits, `-`, `_`, `.` and a leading `*.`.
    `${ctx.names.join(', ')} {`,
    '\ttls {',
    `\t\tdns acmedns ${CADDY_ACCOUNT_FILE}`,
    '\t}',
    '\trespond "Hello"',
    '}',
    '',
  ].join('\n');
  const account = {
    username: ctx.account.username,
    password: ctx.account.password,
    subdomain: ctx.account.subdomain,
    server_url: ctx.url.base,
  };
  return {
    id: 'caddy',
    title: 'Caddy',
    files: [
      { name: 'Caddyfile', language: 'caddyfile', text: caddyfile },
      { name: 'acmedns.json', language: 'json', text: `${asciiJson(account)}\n` },
    ],
    note: `Save acmedns.json as ${CADDY_ACCOUNT_FILE}, readable by the caddy user only (mode 0600). Caddy never registers.`,
  };
}
