/**
 * Traefik embeds lego: `dnsChallenge.provider: acme-dns` with lego's variables in Traefik's
 * environment. The entry point asks for the certificate (tls.domains: main + sans), so nothing
 * else needs configuring; the storage file is lego's.
 */
import { accountJson } from '../account';
import { cnameLines, type SettingsContext } from '../context';
import { shQuote, yamlString } from '../quote';
import type { ClientSettings } from '../types';

/** Where the settings put the acme-dns account file inside Traefik's container or host. */
export const TRAEFIK_STORAGE = '/data/acme-dns.json';

function domainsYaml(names: readonly string[]): string[] {
  const [main, ...sans] = names;
  const lines = [`          - main: ${yamlString(main ?? '')}`];
  if (sans.length > 0) lines.push('            sans:', ...sans.map((n) => `              - ${yamlString(n)}`));
  return lines;
}

/** Traefik: static configuration, environment and the account file. */
export function traefikSettings(ctx: SettingsContext): ClientSettings {
  const yaml = [
    '# traefik.yml (static configuration). The CNAME record(s) to create first:',
    cnameLines(ctx, '#   '),
    'entryPoints:',
    '  websecure:',
    '    address: ":443"',
    '    http:',
    '      tls:',
    '        certResolver: acmedns',
    '        domains:',
    ...domainsYaml(ctx.names),
    'certificatesResolvers:',
    '  acmedns:',
    '    acme:',
    `      email: ${yamlString(ctx.email)}`,
    '      storage: /data/acme.json',
    '      dnsChallenge:',
    '        provider: acme-dns',
    '',
  ].join('\n');
  const env = [
    '# Environment of the Traefik process or container (lego reads it).',
    `ACME_DNS_API_BASE=${shQuote(ctx.url.base)}`,
    `ACME_DNS_STORAGE_PATH=${shQuote(TRAEFIK_STORAGE)}`,
    '',
  ].join('\n');
  return {
    id: 'traefik',
    title: 'Traefik',
    files: [
      { name: 'traefik.yml', language: 'yaml', text: yaml },
      { name: 'traefik.env', language: 'sh', text: env },
      { name: 'acme-dns.json', language: 'json', text: accountJson(ctx.account, ctx.bases) },
    ],
    note:
      `Save acme-dns.json as ${TRAEFIK_STORAGE} (mode 0600) where Traefik can read it; with the account ` +
      'there Traefik registers nothing. Use your own address for email.',
  };
}
