/** Configuration: an acme-dns config.cfg (unchanged) or ours, plus ACMEDNS_* overrides -> frozen Config. */
import fs from 'node:fs';
import { ConfigError } from '../core/errors';
import type { Config } from './types';
import { parseConfig } from './parse';

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

/** Reads, validates and freezes a config file; ConfigError with one line naming the key and what is allowed. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    // Not `instanceof Error`: errors from node's fs may come from another realm (jest's vm).
    const code: unknown = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
    const reason = typeof code === 'string' ? code : String(err);
    throw new ConfigError(`config: cannot read ${file}: ${reason}`);
  }
  return parseConfig(text, env, file);
}
