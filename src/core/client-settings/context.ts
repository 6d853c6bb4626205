/**
 * What every client's settings are made from, read once from the input.
 */
import { serverUrl, type ServerUrl } from './account';
import { accountDomains, cnameRecords, parseDomainList } from './domains';
import { shQuote } from './quote';
import type { AccountForSettings, SettingsInput } from './types';

/** The normalised input of one rendering. */
export interface SettingsContext {
  readonly account: AccountForSettings;
  readonly url: ServerUrl;
  /** The certificate's names, normalised, in the order typed (`*.` kept). */
  readonly names: readonly string[];
  /** Their base names: one account key and one CNAME each. */
  readonly bases: readonly string[];
  /** The contact address the ACME clients ask for: `admin@` the first base name, to be edited. */
  readonly email: string;
}

/** The context for the input, or undefined when no typed entry is a domain name. */
export function settingsContext(input: SettingsInput): SettingsContext | undefined {
  const names = parseDomainList(input.domains).domains;
  const bases = accountDomains(names);
  const first = bases[0];
  if (first === undefined) return undefined;
  return { account: input.account, url: serverUrl(input.serverUrl), names, bases, email: `admin@${first}` };
}

/** `-d a -d '*.a'`: the names as repeated shell arguments of one option. */
export function shNames(option: string, names: readonly string[]): string {
  return names.map((n) => `${option} ${shQuote(n)}`).join(' ');
}

/** The CNAME records, one `_acme-challenge.<base>. CNAME <fulldomain>.` line each, for comments. */
export function cnameLines(ctx: SettingsContext, prefix: string): string {
  return cnameRecords(ctx.bases, ctx.account.fulldomain)
    .map((r) => `${prefix}${r.name}. CNAME ${oneLine(r.target)}.`)
    .join('\n');
}

/** Text safe inside a one-line comment of any of the formats: line breaks and controls become `?`. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}
