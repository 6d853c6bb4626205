/** Configuration: an acme-dns config.cfg (unchanged) or ours, plus ACMEDNS_* overrides -> frozen Config. */
import fs from 'node:fs';
import { ConfigError } from '../core/errors';
import type { Config } from './types';
import { parseConfig } from './parse';
import { ENV_PREFIX } from './env';

export { parseConfig } from './parse';
export { findDefaultConfigFile, DEFAULT_CONFIG_FILES } from './find';
export { ENV_PREFIX } from './env';
export { resolveWorkerCount, MAX_WORKERS, type WorkersSetting } from './workers';
export type {
  Config,
  DnsConfig,
  DnsProtocol,
  ApiConfig,
  TlsMode,
  DatabaseConfig,
  TxtConfig,
  LogConfig,
  AuditConfig,
  TransferConfig,
  DnssecConfig,
} from './types';

/**
 * What a config was parsed from: the file's text and the ACMEDNS_* variables. The DNS workers of
 * `general.workers` parse the same source, so a file edited after the start changes nothing until
 * the next start (a restarted worker answers as the others).
 */
export interface ConfigSource {
  readonly file: string;
  readonly text: string;
  readonly env: Readonly<Record<string, string>>;
}

/** Reads, validates and freezes a config file; ConfigError with one line naming the key and what is allowed. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfigSource(file, env).config;
}

/** loadConfig, also returning the source it parsed (for the DNS workers). */
export function loadConfigSource(file: string, env: NodeJS.ProcessEnv = process.env): { config: Config; source: ConfigSource } {
  const text = readConfigFile(file);
  const overrides: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (name.startsWith(ENV_PREFIX) && value !== undefined) overrides[name] = value;
  return { config: parseConfig(text, env, file), source: { file, text, env: overrides } };
}

function readConfigFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    // Not `instanceof Error`: errors from node's fs may come from another realm (jest's vm).
    const code: unknown = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
    const reason = typeof code === 'string' ? code : String(err);
    throw new ConfigError(`config: cannot read ${file}: ${reason}`);
  }
}
