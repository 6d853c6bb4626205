/**
 * What a person types, read the way the server reads it: the allow-list with the API's own rule
 * (core/validation: acme-dns's CIDR parsing and the entry limit), domain names as the client
 * settings read them (core/client-settings). Pure, so src/web/inputs.test.ts covers it without a browser.
 */
import { parseDomainList } from '../core/client-settings';
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

/** The domains field: names (or `*.` wildcards) as core/client-settings reads them, at least one. */
export function parseDomains(text: string): Parsed {
  const { domains, invalid } = parseDomainList(text);
  if (invalid.length > 0) return { ok: false, error: `Not a domain name: ${invalid.slice(0, 3).join(', ')}. Type names such as example.com or *.example.com.` };
  if (domains.length === 0) return { ok: false, error: 'Type at least one domain, e.g. example.com.' };
  return { ok: true, values: domains };
}
