/**
 * The names a person types, made into what the clients and the DNS need: lower-case ASCII
 * (RFC 4343: DNS names compare case-insensitively; IDNA 2008 A-labels for non-ASCII input), no
 * final dot, `*.` kept for the certificate's names and dropped for the challenge name (a CA asks
 * for `_acme-challenge.<base>` for both a name and its wildcard, RFC 8555 §8.4).
 */
import type { CnameRecord } from './types';

const CHALLENGE_LABEL = '_acme-challenge.';
/** One label: LDH plus `_` (some zones hold names with it), 1-63 characters (RFC 1035 §2.3.4). */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
/** Longest name whose `_acme-challenge.` owner still fits in 253 characters. */
const MAX_NAME = 253 - CHALLENGE_LABEL.length;
/** A TTL a person can change their mind within: the CNAME is looked up at each renewal only. */
const CNAME_TTL = 300;

/** The result of reading a list of names: the good ones normalised, the rest as typed. */
export interface DomainList {
  /** Normalised names in the order typed, duplicates removed (`*.` kept). */
  readonly domains: readonly string[];
  /** Entries that are not a domain name, exactly as typed. */
  readonly invalid: readonly string[];
}

function toAscii(name: string): string | undefined {
  if (/^[\x00-\x7f]*$/.test(name)) return name;
  try {
    // The WHATWG URL parser applies UTS #46 (IDNA) to the host, in browsers and Node alike.
    return new URL(`http://${name}/`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * `*.Example.COM.` -> `*.example.com`, `bücher.example` -> `xn--bcher-kva.example`; undefined when
 * the text is not a name a certificate can be asked for by DNS-01 (two labels at least, `*` only as
 * the whole first label, not an IP address).
 */
export function normaliseDomain(input: string): string | undefined {
  let text = input.trim().toLowerCase();
  if (text.endsWith('.')) text = text.slice(0, -1);
  const wildcard = text.startsWith('*.');
  const base = toAscii(wildcard ? text.slice(2) : text);
  if (base === undefined || base.length > MAX_NAME) return undefined;
  const labels = base.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return undefined;
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return undefined;
  return wildcard ? `*.${base}` : base;
}

/** The name without `*.`: the one whose `_acme-challenge` a CA asks for and clients key accounts by. */
export function baseDomain(name: string): string {
  return name.startsWith('*.') ? name.slice(2) : name;
}

/** Reads names typed in one field or several: separated by spaces, commas, semicolons or lines. */
export function parseDomainList(entries: string | readonly string[]): DomainList {
  const parts = (typeof entries === 'string' ? [entries] : entries).flatMap((e) => e.split(/[\s,;]+/)).filter((e) => e !== '');
  const domains: string[] = [];
  const invalid: string[] = [];
  for (const part of parts) {
    const name = normaliseDomain(part);
    if (name === undefined) invalid.push(part);
    else if (!domains.includes(name)) domains.push(name);
  }
  return { domains, invalid };
}

/** The distinct base names of the certificate's names, in order: one account key and one CNAME each. */
export function accountDomains(names: readonly string[]): readonly string[] {
  return [...new Set(names.map(baseDomain))];
}

/** The fulldomain as a DNS name: lower-case, no final dot. */
export function normaliseTarget(fulldomain: string): string {
  return fulldomain.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * The CNAME records to create for the names typed: one per base name (`example.com` and
 * `*.example.com` share `_acme-challenge.example.com`), all to the account's fulldomain. Entries
 * that are not domain names are left out (parseDomainList says which).
 */
export function cnameRecords(domains: readonly string[], fulldomain: string): readonly CnameRecord[] {
  const target = normaliseTarget(fulldomain);
  return accountDomains(parseDomainList(domains).domains).map((domain) => {
    const name = `${CHALLENGE_LABEL}${domain}`;
    return { domain, name, target, zoneLine: `${name}. ${CNAME_TTL} IN CNAME ${target}.` };
  });
}
