/**
 * Environment overrides for containers (acme-dns #241): `ACMEDNS_<SECTION>_<KEY>` replaces
 * `<section>.<key>` of the file, e.g. `ACMEDNS_API_PORT=8443`, `ACMEDNS_TXT_KEEP=8`.
 */
import type { Document } from './document';
import { isTable } from './document';
import { isSection, kindOf, type EnvKind } from './keys';

/** The prefix every override starts with. */
export const ENV_PREFIX = 'ACMEDNS_';

/** The document with the overrides applied, warnings for unknown names, and where each came from. */
export interface EnvResult {
  readonly doc: Document;
  readonly warnings: readonly string[];
  /** `section.key` -> the variable that set it, so a bad value's message names the variable. */
  readonly origins: ReadonlyMap<string, string>;
}

/**
 * Applies the `ACMEDNS_*` variables to a copy of `doc`. Section names hold no `_`, so the first `_`
 * after the prefix splits section from key (`ACMEDNS_API_TLS_CERT_PRIVKEY` -> api.tls_cert_privkey).
 */
export function applyEnv(doc: Document, env: NodeJS.ProcessEnv): EnvResult {
  const out: Document = { ...doc };
  const warnings: string[] = [];
  const origins = new Map<string, string>();
  for (const name of Object.keys(env).sort()) {
    const text = env[name];
    if (!name.startsWith(ENV_PREFIX) || text === undefined) continue;
    const rest = name.slice(ENV_PREFIX.length).toLowerCase();
    const cut = rest.indexOf('_');
    const section = cut < 0 ? rest : rest.slice(0, cut);
    const key = cut < 0 ? '' : rest.slice(cut + 1);
    const kind = isSection(section) ? kindOf(section, key) : undefined;
    if (!isSection(section) || kind === undefined) {
      warnings.push(`config: environment variable ${name} is not a known key; ignored`);
      continue;
    }
    const current = out[section];
    // A section that is not a table stays as it is; the schema reports it.
    if (current !== undefined && !isTable(current)) continue;
    out[section] = { ...(current ?? {}), [key]: coerce(text, kind) };
    origins.set(`${section}.${key}`, name);
  }
  return { doc: out, warnings, origins };
}

/** Turns variable text into the key's type; text that does not fit is returned unchanged. */
export function coerce(text: string, kind: EnvKind): unknown {
  const trimmed = text.trim();
  switch (kind) {
    case 'string':
      return text;
    case 'bool': {
      const lower = trimmed.toLowerCase();
      if (lower === 'true' || lower === '1') return true;
      if (lower === 'false' || lower === '0') return false;
      return text;
    }
    case 'int':
      return /^-?\d+$/.test(trimmed) ? Number(trimmed) : text;
    case 'list':
      return toList(trimmed);
  }
}

function toList(text: string): unknown {
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed;
    } catch {
      return text; // the schema says "must be a list of strings"
    }
  }
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
