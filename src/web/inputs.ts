/**
 * What a person types, read the way the server reads it: the allow-list with the API's own rule
 * (core/validation: acme-dns's CIDR parsing and the entry limit), domain names as
 * `acmedns check-delegation` takes them. Pure, so src/web/inputs.test.ts covers it without a browser.
 */
import { isValidAllowFrom, MAX_ALLOWFROM } from '../core/validation';

/** A list read from a field, or why it cannot be used. */
export type Parsed = { readonly ok: true; readonly values: readonly string[] } | { readonly ok: false; readonly error: string };

function items(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The allow-list field: entries separated by commas, spaces or lines; each one a CIDR as /register takes it. */
export function parseAllowList(text: string): Parsed {
  const values = items(text);
  const bad = values.filter((v) => !isValidAllowFrom(v));
  if (bad.length > 0) {
    return { ok: false, error: `Not an address range: ${bad.slice(0, 3).join(', ')}. Write each as address/prefix, e.g. 192.0.2.0/24 or 2001:db8::/32.` };
  }
  if (values.length > MAX_ALLOWFROM) return { ok: false, error: `At most ${MAX_ALLOWFROM} ranges; this list has ${values.length}.` };
  return { ok: true, values };
}

// A host name as the CLI's check-delegation accepts it (labels of letters, digits, - and _).
const NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** `Example.COM.` -> `example.com`, keeping a leading `*.` (a wildcard certificate is asked for as such). */
export function normaliseDomain(input: string): string {
  return input.trim().toLowerCase().replace(/\.$/, '');
}

/** The domains field: names (or `*.` wildcards) separated by commas or spaces, at least one, no repeats. */
export function parseDomains(text: string): Parsed {
  const values = [...new Set(items(text).map(normaliseDomain))];
  if (values.length === 0) return { ok: false, error: 'Type at least one domain, e.g. example.com.' };
  const bad = values.filter((v) => !NAME.test(v.replace(/^\*\./, '')) || !v.replace(/^\*\./, '').includes('.'));
  if (bad.length > 0) return { ok: false, error: `Not a domain name: ${bad.slice(0, 3).join(', ')}. Type names such as example.com or *.example.com.` };
  return { ok: true, values };
}
