/**
 * The domain a delegation check is asked about, as a person types it (`*.Shop.Example.COM.`),
 * reduced to the name whose `_acme-challenge` label a CA asks for (RFC 8555 §8.4), and refused
 * when it is no domain name: the CLI and the API accept exactly the same input.
 */

/** A host name of LDH labels (underscores allowed, as in service names), at most 253 characters. */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** `*.Example.COM.` -> `example.com`: lower-case, without the wildcard label and the final dot. */
export function normaliseDomain(input: string): string {
  return input.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
}

/** The normalised domain, or undefined when `input` is no domain name. */
export function parseCheckDomain(input: string): string | undefined {
  const domain = normaliseDomain(input);
  return DOMAIN.test(domain) ? domain : undefined;
}
