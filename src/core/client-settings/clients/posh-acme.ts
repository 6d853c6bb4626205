/**
 * Posh-ACME's AcmeDns plugin (Plugins/AcmeDns.ps1): `ACMEServer` is the API without its scheme
 * (the plugin builds `https://$ACMEServer/update`; `HTTP = $true` for plain HTTP), and
 * `ACMERegistration` maps each record name `_acme-challenge.<base>` to
 * @(subdomain, username, password, fulldomain), in that order. With every name registered the
 * plugin neither registers nor stops to ask for a CNAME.
 */
import { normaliseTarget } from '../domains';
import { cnameLines, type SettingsContext } from '../context';
import { psQuote } from '../quote';
import type { ClientSettings } from '../types';

/** Posh-ACME: the plugin arguments and New-PACertificate. */
export function poshAcmeSettings(ctx: SettingsContext): ClientSettings {
  const { account } = ctx;
  const values = [account.subdomain, account.username, account.password, normaliseTarget(account.fulldomain)];
  const registration = ctx.bases.map((b) => `        ${psQuote(`_acme-challenge.${b}`)} = @(${values.map(psQuote).join(', ')})`);
  const ps = [
    '# Posh-ACME with acmedns: the registration is given, so the plugin registers nothing and does',
    '# not prompt. The CNAME record(s) to create first:',
    cnameLines(ctx, '#   '),
    '$pArgs = @{',
    `    ACMEServer = ${psQuote(ctx.url.hostPath)}`,
    ...(ctx.url.http ? ['    HTTP = $true'] : []),
    '    ACMERegistration = @{',
    ...registration,
    '    }',
    '}',
    `New-PACertificate ${ctx.names.map(psQuote).join(',')} -Plugin AcmeDns -PluginArgs $pArgs -AcceptTOS -Contact ${psQuote(ctx.email)}`,
    '',
  ].join('\n');
  return {
    id: 'posh-acme',
    title: 'Posh-ACME',
    files: [{ name: 'posh-acme.ps1', language: 'powershell', text: ps }],
    note: 'Posh-ACME saves the plugin arguments with the order, so Submit-Renewal needs nothing more. Use your own address for -Contact.',
  };
}
