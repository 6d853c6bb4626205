/**
 * acme.sh's `dns_acmedns` (dnsapi/dns_acmedns.sh, 3.0.2+): ACMEDNS_BASE_URL and, for an account
 * registered beforehand, ACMEDNS_USERNAME / ACMEDNS_PASSWORD / ACMEDNS_SUBDOMAIN; it saves them in
 * the certificate's domain conf, so renewals need nothing more. Every name of one certificate
 * posts to this one account.
 */
import { cnameLines, shNames, type SettingsContext } from '../context';
import { shQuote } from '../quote';
import type { ClientSettings } from '../types';

/** acme.sh: environment and the issue command. */
export function acmeShSettings(ctx: SettingsContext): ClientSettings {
  const sh = [
    '# acme.sh with acmedns: the account is given, so acme.sh registers nothing and does not prompt.',
    '# The CNAME record(s) to create first:',
    cnameLines(ctx, '#   '),
    `export ACMEDNS_BASE_URL=${shQuote(ctx.url.base)}`,
    `export ACMEDNS_USERNAME=${shQuote(ctx.account.username)}`,
    `export ACMEDNS_PASSWORD=${shQuote(ctx.account.password)}`,
    `export ACMEDNS_SUBDOMAIN=${shQuote(ctx.account.subdomain)}`,
    `acme.sh --issue --dns dns_acmedns ${shNames('-d', ctx.names)}`,
    '',
  ].join('\n');
  return {
    id: 'acme.sh',
    title: 'acme.sh',
    files: [{ name: 'acme.sh.sh', language: 'sh', text: sh }],
    note:
      'Every name of the certificate posts its value to this one account at the same time, so the ' +
      "server's `[txt] keep` must be at least the number of names (default 4). acme.sh saves the variables " +
      'with the certificate, so renewals need nothing more. It checks propagation through public ' +
      'DNS-over-HTTPS resolvers; without them use --dnssleep 30.',
  };
}
