/**
 * The certbot settings the page gives work with the real hooks and the real server: the account
 * file (accountJson, acme-dns-certbot's layout) is read by examples/certbot/acme-dns-auth.py, the
 * hook commands as certbot runs them (`sh -c`, the API URL inside the command) publish the value
 * on the account through /update, and the cleanup hook withdraws it. Debian's python3 with
 * requests runs the hooks; the daemon serves plain HTTP on loopback.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { clientSettings } from '../src/core/client-settings';
import { authHeaders, register, send, txtValue } from './support/api-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { callArgs, shellSandbox, type ShellSandbox } from './support/shell-snippet';

const HOOKS = path.resolve(__dirname, '..', 'examples', 'certbot');
const PYTHON_PATH = '/usr/bin:/bin';
const pythonOk = spawnSync('python3', ['-c', 'import requests'], { env: { PATH: PYTHON_PATH } }).status === 0;
if (!pythonOk) console.warn('certbot hook settings test skipped: python3 with requests is not installed');
const suite = pythonOk ? describe : describe.skip;

suite('certbot settings with the example hooks against the server', () => {
  let daemon: TestDaemon;
  let shell: ShellSandbox;
  beforeAll(async () => {
    daemon = await startTestDaemon();
    shell = shellSandbox();
  });
  afterAll(async () => {
    shell?.remove();
    await daemon?.stop();
  });

  async function values(reg: { username: string; password: string }): Promise<string[]> {
    const res = await send(daemon.api, { method: 'GET', path: '/account', headers: authHeaders(reg) });
    expect(res.status).toBe(200);
    return (JSON.parse(res.body) as { txt: string[] }).txt;
  }

  it('publishes each name\'s value on the account and withdraws it', async () => {
    const reg = await register(daemon.api);
    const certbot = clientSettings({ account: reg, serverUrl: `${daemon.api}/`, domains: ['Example.ORG', '*.example.org', 'www.example.org'] }).find(
      (c) => c.id === 'certbot',
    );
    const storage = path.join(shell.dir, 'acmedns.json');
    fs.writeFileSync(storage, certbot?.files.find((f) => f.name === 'acmedns.json')?.text ?? '', { mode: 0o600 });
    const args = callArgs(shell.run(certbot?.files.find((f) => f.name === 'certbot.sh')?.text ?? '', []), 'certbot');
    // The commands name the hooks where the settings put them; here they run from examples/certbot.
    const [auth, cleanup] = ['--manual-auth-hook', '--manual-cleanup-hook'].map((o) =>
      (args[args.indexOf(o) + 1] ?? '').replace('/etc/letsencrypt/', `${HOOKS}/`),
    );
    // certbot runs hook commands through the shell, with CERTBOT_DOMAIN the identifier (no `*.`).
    // Asynchronously: the daemon answering the hook runs in this process.
    const runHook = (hook: string, domain: string, value: string) =>
      promisify(execFile)('sh', ['-c', hook], {
        env: { PATH: PYTHON_PATH, ACMEDNS_STORAGE: storage, CERTBOT_DOMAIN: domain, CERTBOT_VALIDATION: value },
      });
    const [apex, wildcard, www] = [txtValue('apex'), txtValue('wildcard'), txtValue('www')];
    await runHook(auth ?? '', 'example.org', apex);
    await runHook(auth ?? '', 'example.org', wildcard);
    await runHook(auth ?? '', 'www.example.org', www);
    expect((await values(reg)).sort()).toEqual([apex, wildcard, www].sort());

    await runHook(cleanup ?? '', 'example.org', apex);
    expect((await values(reg)).sort()).toEqual([wildcard, www].sort());
  });
});
