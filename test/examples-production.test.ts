/**
 * The production examples: examples/production.toml passes `acmedns check-config` (the built CLI)
 * and means what its comments say; examples/systemd/acmedns.service keeps its hardening and, where
 * systemd-analyze exists, verifies.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config';
import { runCli } from './support/server-process';

const ROOT = path.resolve(__dirname, '..');
const CONFIG = path.join(ROOT, 'examples', 'production.toml');
const UNIT = path.join(ROOT, 'examples', 'systemd', 'acmedns.service');

test('production.toml passes check-config', async () => {
  const r = await runCli(['check-config', '-c', CONFIG]);
  expect([r.code, r.stderr]).toEqual([0, '']);
  expect(r.stdout).toBe(
    `${CONFIG}: OK (zone auth.example.org, DNS 198.51.100.1:53 [2001:db8::1]:53 both, API https *:443, sqlite store)\n`,
  );
});

test('production.toml: no warnings, state under /var/lib/acmedns, metrics on the loopback, limits on', () => {
  const config = loadConfig(CONFIG, {});
  expect(config.warnings).toEqual([]);
  expect(config.database).toEqual({ engine: 'sqlite', connection: '/var/lib/acmedns/acmedns.db' });
  expect(config.metrics).toEqual({ enabled: true, listen: '127.0.0.1:9153', allow: ['127.0.0.1/32', '::1/128'] });
  expect(config.ratelimit.registerPerHour).toBeGreaterThan(0);
  expect(config.ratelimit.authFailures).toBeGreaterThan(0);
  expect(config.rrl).toMatchObject({ enabled: true, responsesPerSecond: 10, slip: 2, exempt: ['127.0.0.0/8', '::1/128'] });
  expect(config.log).toMatchObject({ format: 'json', type: 'stdout' });
});

describe('systemd unit', () => {
  const unit = fs.readFileSync(UNIT, 'utf8');
  const settings = unit
    .split('\n')
    .filter((l) => /^[A-Za-z]+=/.test(l))
    .map((l) => l.trim());

  test.each([
    'User=acmedns',
    'AmbientCapabilities=CAP_NET_BIND_SERVICE',
    'CapabilityBoundingSet=CAP_NET_BIND_SERVICE',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ReadWritePaths=/var/lib/acmedns',
    'PrivateTmp=yes',
    'ProtectHome=yes',
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
    'SystemCallFilter=@system-service',
    'ExecReload=/bin/kill -HUP $MAINPID',
    'Restart=on-failure',
  ])('has %s', (line) => {
    expect(settings).toContain(line);
  });

  test('runs the server with the production config path it documents', () => {
    expect(settings).toContain('ExecStart=/usr/bin/node /opt/acmedns/dist/main.js serve -c /etc/acmedns/config.toml');
    // V8 needs writable executable memory; a capability in a user namespace cannot bind the host's port 53.
    expect(settings.filter((l) => l.startsWith('MemoryDenyWriteExecute=') || l.startsWith('PrivateUsers='))).toEqual([]);
  });

  const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => fs.existsSync(p));
  (analyze ? test : test.skip)('systemd-analyze verify accepts it (skipped without systemd-analyze)', async () => {
    const { stdout, stderr } = await promisify(execFile)(analyze as string, ['verify', UNIT], { cwd: ROOT });
    expect(`${stdout}${stderr}`).toBe('');
  });
});
