import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { rcodeOf, udpQuery } from './support/dns-client';
import { testConfigToml } from './support/daemon';
import { runCli, startServerProcess } from './support/server-process';

const ROOT = path.resolve(__dirname, '..');

describe('acmedns command line', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints its version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    await expect(runCli(['--version'])).resolves.toMatchObject({ code: 0, stdout: `acmedns ${version}\n` });
  });

  it('refuses an unknown command with one line', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('acmedns: unknown command: frobnicate\n');
  });

  it('checks the example configuration', async () => {
    const r = await runCli(['check-config', '-c', path.join(ROOT, 'config.example.toml')]);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toContain('OK (zone auth.example.org');
  });

  it('names the bad key of a broken configuration in one line', async () => {
    const file = path.join(dir, 'bad.toml');
    fs.writeFileSync(file, testConfigToml(dir).replace('tls = "none"', 'tls = "sometimes"'));
    const r = await runCli(['check-config', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('api.tls');
  });

  it('names a static record line that does not parse', async () => {
    const file = path.join(dir, 'bad-record.toml');
    fs.writeFileSync(file, testConfigToml(dir).replace('"auth.example.org. A 127.0.0.1"', '"auth.example.org. A not-an-address"'));
    const r = await runCli(['check-config', '-c', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not-an-address');
  });

  it('finds ./config.cfg when no -c is given, as acme-dns does', async () => {
    fs.writeFileSync(path.join(dir, 'config.cfg'), testConfigToml(dir));
    const r = await runCli(['check-config'], dir);
    // /etc/acme-dns/config.cfg wins when it exists; this machine has none.
    expect(fs.existsSync('/etc/acme-dns/config.cfg') || r.stdout.startsWith('config.cfg: OK') || r.stdout.includes('config.cfg: OK')).toBe(true);
    expect(r.code).toBe(0);
  });

  it('says how to import when serve is pointed at an acme-dns database', async () => {
    const dbFile = path.join(dir, 'acmedns.db');
    const db = new Database(dbFile);
    db.exec('CREATE TABLE acmedns(Name TEXT, Value TEXT); CREATE TABLE records(Username TEXT, Password TEXT, Subdomain TEXT, AllowFrom TEXT);');
    db.close();
    const file = path.join(dir, 'config.toml');
    fs.writeFileSync(file, testConfigToml(dir));
    const r = await runCli(['serve', '-c', file]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('acmedns import --from');
  });

  it('says the DNS address is in use instead of failing obscurely', async () => {
    const blocker = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => blocker.bind(0, '127.0.0.1', resolve));
    const port = blocker.address().port;
    const file = path.join(dir, 'config.toml');
    fs.writeFileSync(file, testConfigToml(dir).replace('listen = "127.0.0.1:0"', `listen = "127.0.0.1:${port}"`));
    try {
      const r = await runCli(['serve', '-c', file]);
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toContain('address already in use');
    } finally {
      blocker.close();
    }
  });

  it('serves until SIGTERM, then stops cleanly with exit code 0', async () => {
    const file = path.join(dir, 'config.toml');
    fs.writeFileSync(file, testConfigToml(dir));
    const server = await startServerProcess(file);
    expect(rcodeOf(await udpQuery(server.dns, { name: 'auth.example.org', type: 'SOA' }))).toBe('NOERROR');
    expect((await fetch(`${server.api}/health`)).status).toBe(200);
    server.child.kill('SIGTERM');
    await expect(server.exited).resolves.toBe(0);
    expect(server.output()).toContain('acmedns stopped');
  });
});
