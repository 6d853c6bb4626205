import { findDefaultConfigFile, loadConfigSource, type ConfigSource } from '../config';
import type { Config } from '../config/types';

/** Loads the configuration `-c` names, or the first of acme-dns's default locations. */
export function loadCliConfig(configFile: string | undefined): { file: string; config: Config; source: ConfigSource } {
  const file = configFile ?? findDefaultConfigFile();
  if (file === undefined) {
    throw new Error('configuration file not found: give -c FILE (looked for /etc/acme-dns/config.cfg and ./config.cfg)');
  }
  const { config, source } = loadConfigSource(file);
  return { file, config, source };
}
