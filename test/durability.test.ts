import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { register, txtValue, update } from './support/api-client';
import { tcpQuery, txtValues } from './support/dns-client';
import { testConfigToml } from './support/daemon';
import { startServerProcess } from './support/server-process';

describe('durability', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-kill9-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every update that was answered 200 when the server is killed with SIGKILL', async () => {
    const configFile = path.join(dir, 'config.toml');
    fs.writeFileSync(configFile, testConfigToml(dir, '[txt]\nkeep = 100\nmax_age = 0\n'));
    const first = await startServerProcess(configFile);
    const account = await register(first.api);
    const acknowledged: string[] = [];
    // Updates race the kill: every one answered 200 before it must be there afterwards.
    let killed = false;
    const writer = (async () => {
      for (let i = 0; i < 200 && !killed; i++) {
        const value = txtValue(`v${i}`);
        const res = await update(first.api, account, value).catch(() => undefined);
        if (res?.status === 200) acknowledged.push(value);
      }
    })();
    while (acknowledged.length < 20) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    killed = true;
    await writer;
    await first.exited;

    const second = await startServerProcess(configFile);
    try {
      const served = txtValues(await tcpQuery(second.tcp, { name: account.fulldomain, type: 'TXT' }));
      // The newest 100 are kept; everything acknowledged (fewer than 200) fits.
      expect(acknowledged.length).toBeGreaterThanOrEqual(20);
      for (const value of acknowledged.slice(-100)) expect(served).toContain(value);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
