import { checkConfig } from '../../daemon';
import { loadCliConfig } from '../config-file';

/** `acmedns check-config`: loads and validates everything a start would, then prints a summary. */
export function checkConfigCommand(configFile: string | undefined): void {
  const { file, config } = loadCliConfig(configFile);
  checkConfig(config);
  for (const warning of config.warnings) process.stdout.write(`warning: ${warning}\n`);
  process.stdout.write(
    `${file}: OK (zone ${config.dns.domain}, DNS ${config.dns.listen.join(' ')} ${config.dns.protocol}, ` +
      `API ${config.api.tls === 'none' ? 'http' : 'https'} ${config.api.ip || '*'}:${config.api.port}, ` +
      `${config.database.engine} store)\n`,
  );
}
