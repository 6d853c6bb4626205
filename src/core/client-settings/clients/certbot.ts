/**
 * certbot with the manual hooks of examples/certbot (acme-dns-auth.py, acme-dns-cleanup.py; the
 * account file is that of acme-dns's own certbot hook, acme-dns-certbot-joohoi, so its
 * acme-dns-auth.py reads it as well). The API URL is given in the hook command itself: certbot
 * keeps the command in the renewal configuration, so `certbot renew` from a timer, with none of
 * this shell's variables, still reaches the server.
 */
import { accountJson } from '../account';
import { cnameLines, shNames, type SettingsContext } from '../context';
import { shQuote } from '../quote';
import type { ClientSettings } from '../types';

/** Where the hooks look for the account file by default (both hooks' default). */
export const CERTBOT_STORAGE = '/etc/letsencrypt/acmedns.json';
/** Where the settings expect the hooks. */
export const CERTBOT_HOOKS = '/etc/letsencrypt';

function hook(script: string, base: string): string {
  return shQuote(`ACMEDNS_URL=${shQuote(base)} python3 ${CERTBOT_HOOKS}/${script}`);
}

/** certbot: the account file and the certbot command with the hooks. */
export function certbotSettings(ctx: SettingsContext): ClientSettings {
  const sh = [
    `# certbot with the acmedns hooks: copy acme-dns-auth.py and acme-dns-cleanup.py to ${CERTBOT_HOOKS}/`,
    `# and save acmedns.json as ${CERTBOT_STORAGE} (mode 0600). The CNAME record(s) to create first:`,
    cnameLines(ctx, '#   '),
    'certbot certonly --manual --preferred-challenges dns \\',
    `  --manual-auth-hook ${hook('acme-dns-auth.py', ctx.url.base)} \\`,
    `  --manual-cleanup-hook ${hook('acme-dns-cleanup.py', ctx.url.base)} \\`,
    `  ${shNames('-d', ctx.names)}`,
    '',
  ].join('\n');
  return {
    id: 'certbot',
    title: 'certbot with the acme-dns hook',
    files: [
      { name: 'certbot.sh', language: 'sh', text: sh },
      { name: 'acmedns.json', language: 'json', text: accountJson(ctx.account, ctx.bases) },
    ],
    note:
      'The hooks are in examples/certbot of acmedns (Python 3 with requests). acme-dns-certbot-joohoi\'s ' +
      'acme-dns-auth.py reads the same acmedns.json: set ACMEDNS_URL in that script instead.',
  };
}
