/**
 * The shapes of the client settings the page shows and examples/ holds (see index.ts). Pure types:
 * the browser bundle imports this folder, so nothing here may touch node: modules.
 */

/** An acme-dns account as `POST /register` returns it (the password is shown to its owner only). */
export interface AccountForSettings {
  username: string;
  password: string;
  fulldomain: string;
  subdomain: string;
  allowfrom: readonly string[];
}

/** What the settings are made from: the account, this server's API URL and the names typed. */
export interface SettingsInput {
  account: AccountForSettings;
  serverUrl: string;
  domains: readonly string[];
}

/** One file (or snippet) of a client's settings, ready to save or paste. */
export interface SettingsFile {
  name: string;
  language: 'sh' | 'json' | 'yaml' | 'toml' | 'ini' | 'text' | 'caddyfile' | 'powershell';
  text: string;
}

/** The filled-in settings of one ACME client. */
export interface ClientSettings {
  id: 'lego' | 'traefik' | 'caddy' | 'cert-manager' | 'acme.sh' | 'certbot' | 'posh-acme' | 'win-acme';
  title: string;
  files: readonly SettingsFile[];
  note?: string;
}

/** The CNAME one name needs: `_acme-challenge.<domain>` pointing at the account's fulldomain. */
export interface CnameRecord {
  /** The name the record serves, without `*.` (a wildcard and its base share the record). */
  domain: string;
  /** The record's owner name, without the final dot, as a DNS provider's form asks for it. */
  name: string;
  /** The account's fulldomain, without the final dot. */
  target: string;
  /** The record in zone-file form (RFC 1035 §5.1), absolute names. */
  zoneLine: string;
}
