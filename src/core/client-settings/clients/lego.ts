/**
 * lego's `acme-dns` provider (go-acme/lego providers/dns/acmedns): `ACME_DNS_API_BASE` and
 * `ACME_DNS_STORAGE_PATH`, the storage file keyed by base name. With the account already in the
 * file lego registers nothing and does not stop for the CNAME (its ErrCNAMERequired path).
 */
import { accountJson } from '../account';
import { cnameLines, shNames, type SettingsContext } from '../context';
import { shQuote } from '../quote';
import type { ClientSettings } from '../types';

/** Where the settings put lego's account file. */
export const LEGO_STORAGE = '/var/lib/lego/acme-dns.json';

/** lego: environment, command line and the storage file. */
export function legoSettings(ctx: SettingsContext): ClientSettings {
  const sh = [
    '# lego with acmedns: the account is in the storage file, so lego registers nothing.',
    `# Save acme-dns.json as ${LEGO_STORAGE} (mode 0600) and create the CNAME record(s):`,
    cnameLines(ctx, '#   '),
    `export ACME_DNS_API_BASE=${shQuote(ctx.url.base)}`,
    `export ACME_DNS_STORAGE_PATH=${shQuote(LEGO_STORAGE)}`,
    `lego --email ${shQuote(ctx.email)} --dns acme-dns ${shNames('-d', ctx.names)} run`,
    '',
  ].join('\n');
  return {
    id: 'lego',
    title: 'lego',
    files: [
      { name: 'lego.sh', language: 'sh', text: sh },
      { name: 'acme-dns.json', language: 'json', text: accountJson(ctx.account, ctx.bases) },
    ],
    note:
      "Needs a lego with the acme-dns provider (lego's release binaries have it; Debian's lego 4.9.1 does " +
      'not). `lego renew` takes the same variables. Use your own address for --email.',
  };
}
