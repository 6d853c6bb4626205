/** TOML text + environment -> the validated, deep-frozen Config. */
import { ConfigError } from '../core/errors';
import type { Config } from './types';
import { isTable, readToml, unknownKeyWarnings } from './document';
import { applyEnv } from './env';
import { configSchema } from './schema';
import { describeIssue } from './issues';
import { deepFreeze } from './freeze';

/**
 * Parses and validates config text. `env` supplies `ACMEDNS_<SECTION>_<KEY>` overrides and is
 * read only here; `source` names the file in TOML syntax errors. Relative paths are kept as
 * written: like acme-dns, they resolve against the working directory of the process.
 */
export function parseConfig(text: string, env: NodeJS.ProcessEnv = process.env, source = 'config'): Config {
  // A UTF-8 byte-order mark is not TOML, but editors on Windows write one.
  const doc = readToml(text.replace(/^\uFEFF/, ''), source);
  const overridden = applyEnv(doc, env);
  const result = configSchema.safeParse(overridden.doc);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new ConfigError(first ? describeIssue(first, overridden.origins) : 'config: invalid');
  }
  const warnings = [...unknownKeyWarnings(doc), ...overridden.warnings, ...ignoredKeyWarnings(overridden.doc)];
  const config: Config = { ...result.data, warnings };
  deepFreeze(config);
  return config;
}

/** Keys acme-dns once used that are accepted so old files load, but have no effect. */
function ignoredKeyWarnings(doc: Record<string, unknown>): string[] {
  const api = doc['api'];
  if (isTable(api) && api['autocert_port'] !== undefined) {
    return ['config: api.autocert_port is ignored (the HTTP-01 port of acme-dns before v0.8)'];
  }
  return [];
}
