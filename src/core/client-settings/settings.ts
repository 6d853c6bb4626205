/**
 * Every client's settings for one account and the names typed, in the order the page lists them.
 */
import { acmeShSettings } from './clients/acme-sh';
import { caddySettings } from './clients/caddy';
import { certManagerSettings } from './clients/cert-manager';
import { certbotSettings } from './clients/certbot';
import { legoSettings } from './clients/lego';
import { poshAcmeSettings } from './clients/posh-acme';
import { traefikSettings } from './clients/traefik';
import { winAcmeSettings } from './clients/win-acme';
import { settingsContext, type SettingsContext } from './context';
import type { ClientSettings, SettingsInput } from './types';

const CLIENTS: readonly ((ctx: SettingsContext) => ClientSettings)[] = [
  legoSettings,
  traefikSettings,
  caddySettings,
  certManagerSettings,
  acmeShSettings,
  certbotSettings,
  poshAcmeSettings,
  winAcmeSettings,
];

/**
 * The filled-in settings of each supported client. Entries of `domains` that are not domain names
 * are left out; with none left there is nothing to configure and the list is empty.
 */
export function clientSettings(input: SettingsInput): readonly ClientSettings[] {
  const ctx = settingsContext(input);
  return ctx === undefined ? [] : CLIENTS.map((render) => render(ctx));
}
