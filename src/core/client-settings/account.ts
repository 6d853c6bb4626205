/**
 * The account in the file layouts clients read, and the server URL in the spellings they want.
 */
import { accountDomains, normaliseTarget, parseDomainList } from './domains';
import { asciiJson } from './quote';
import type { AccountForSettings } from './types';

/** One account as acme-dns's `/register` answers it: the five keys, in its order. */
function registration(account: AccountForSettings): Record<string, unknown> {
  return {
    username: account.username,
    password: account.password,
    fulldomain: normaliseTarget(account.fulldomain),
    subdomain: account.subdomain,
    allowfrom: [...account.allowfrom],
  };
}

/**
 * The account file of acme-dns's certbot hook (acme-dns-auth.py's `acmedns.json`): one object
 * mapping each base name (no `*.`, since clients key by the identifier a CA sends) to the
 * registration. goacmedns reads the same file as lego's `ACME_DNS_STORAGE_PATH` (and cert-manager,
 * acme-dns-client and Caddy's map form read the layout): it ignores `allowfrom` and takes the API
 * from its own setting when `server_url` is absent. Pretty-printed, ASCII only, final newline.
 * With no domain name among `domains` the map is empty (`{}`): the layout needs a name to key by.
 */
export function accountJson(account: AccountForSettings, domains: readonly string[]): string {
  const map: Record<string, unknown> = {};
  for (const domain of accountDomains(parseDomainList(domains).domains)) map[domain] = registration(account);
  return `${asciiJson(map)}\n`;
}

/**
 * The account alone, as `/register` answered it (pretty, ASCII only, final newline): what to keep
 * before any domain name is known; Caddy's and acme-dns-client's readers take this form too.
 */
export function registrationJson(account: AccountForSettings): string {
  return `${asciiJson(registration(account))}\n`;
}

/** The API's base URL in the forms the clients take. */
export interface ServerUrl {
  /** Scheme, host, port and path, no trailing slash: what most clients append `/update` to. */
  readonly base: string;
  /** The same with one trailing slash: .NET resolves `update` against it (win-acme). */
  readonly slashed: string;
  /** Without the scheme (`auth.example.org[:port][/path]`): Posh-ACME's `ACMEServer`. */
  readonly hostPath: string;
  /** Whether the API is plain HTTP (Posh-ACME then needs `HTTP = $true`). */
  readonly http: boolean;
}

/** Reads the server URL as given (the page passes its own origin); never throws. */
export function serverUrl(text: string): ServerUrl {
  const base = text.trim().replace(/\/+$/, '');
  const match = /^(https?):\/\/(.*)$/i.exec(base);
  return {
    base,
    slashed: `${base}/`,
    hostPath: match?.[2] ?? base,
    http: match?.[1]?.toLowerCase() === 'http',
  };
}
