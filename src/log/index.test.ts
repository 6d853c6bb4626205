import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from './index';

describe('the process logger', () => {
  test('never writes a secret, a key or a password, whatever the module passes it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-log-'));
    try {
      const file = path.join(dir, 'acmedns.log');
      const logger = createLogger({ level: 'info', format: 'json', type: 'file', file });
      const values = { secret: 'TSIG-SECRET', tsigSecret: 'TSIG-SECRET-2', tsig_secret: 'TRANSFER-SECRET', key: 'API-KEY', password: 'PASSWORD' };
      logger.info(values, 'everything');
      logger.flush();
      const text = fs.readFileSync(file, 'utf8');
      for (const value of Object.values(values)) expect(text).not.toContain(value);
      expect(JSON.parse(text)).toMatchObject({ secret: '[redacted]', tsigSecret: '[redacted]', tsig_secret: '[redacted]', key: '[redacted]' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
