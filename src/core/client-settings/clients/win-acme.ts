/**
 * win-acme's acme-dns validation (Clients/AcmeDnsClient.cs): it keeps one registration per base
 * name in `<ProgramData>\win-acme\acme-dns\<server>\<name>.json` ({username, password,
 * fulldomain, subdomain}), where <server> is the API URL without scheme and without the
 * characters Windows forbids in a file name. With the files in place an unattended run finds the
 * registrations (it checks the CNAME at the name's own servers first) instead of stopping.
 */
import { normaliseTarget } from '../domains';
import { cnameLines, type SettingsContext } from '../context';
import { asciiJson, psQuote } from '../quote';
import type { ClientSettings } from '../types';

/** The folder name win-acme derives from the API URL (StringExtensions.CleanUri). */
export function winAcmeServerFolder(slashedUrl: string): string {
  const noScheme = slashedUrl.replace(/^https?:\/\//i, '').replace(/^[^/@]*@/, '');
  return noScheme.replace(/[\u0000-\u001f"<>|:*?\\/]/g, '');
}

/** win-acme: a PowerShell script that writes the registrations, then runs wacs.exe. */
export function winAcmeSettings(ctx: SettingsContext): ClientSettings {
  const { account } = ctx;
  const registration = asciiJson(
    { username: account.username, password: account.password, fulldomain: normaliseTarget(account.fulldomain), subdomain: account.subdomain },
    0,
  );
  const ps = [
    '# win-acme with acmedns: writes the registration win-acme looks for, one file per name, then asks for',
    '# the certificate. The CNAME record(s) to create first:',
    cnameLines(ctx, '#   '),
    `$dir = Join-Path $env:ProgramData ${psQuote(`win-acme\\acme-dns\\${winAcmeServerFolder(ctx.url.slashed)}`)}`,
    'New-Item -ItemType Directory -Force -Path $dir | Out-Null',
    `$registration = ${psQuote(registration)}`,
    `foreach ($name in ${ctx.bases.map(psQuote).join(', ')}) {`,
    '    Set-Content -Path (Join-Path $dir "$name.json") -Value $registration -Encoding ASCII',
    '}',
    `wacs.exe --source manual --host ${psQuote(ctx.names.join(','))} --validation acme-dns --acmednsserver ${psQuote(ctx.url.slashed)} --accepttos --emailaddress ${psQuote(ctx.email)}`,
    '',
  ].join('\n');
  return {
    id: 'win-acme',
    title: 'win-acme',
    files: [{ name: 'win-acme.ps1', language: 'powershell', text: ps }],
    note:
      'Run it in an elevated PowerShell. An installation that already has an acme-dns folder inside its ' +
      "ACME server's folder keeps using that one (win-acme logs the folder it uses): put the files there. " +
      'Use your own address for --emailaddress.',
  };
}
