/**
 * `acmedns audit`: every change made through the API (with the client address) and the command
 * line (actor cli) of a running server, in order, and its filters by account and time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { register, type Registration, txtValue, update } from './support/api-client';
import { testConfigToml } from './support/daemon';
import { runCli, startServerProcess, type ServerProcess } from './support/server-process';

interface Entry {
  id: number;
  at: string;
  action: string;
  username: string;
  subdomain: string;
  actor: string;
  client: string | null;
  detail: Record<string, unknown> | null;
}

describe('acmedns audit while the server runs', () => {
  let dir: string;
  let configFile: string;
  let server: ServerProcess | undefined;
  let a: Registration;
  let b: Registration;

  const cli = (...args: string[]): ReturnType<typeof runCli> => runCli([...args, '-c', configFile]);
  const audit = async (...args: string[]): Promise<Entry[]> => {
    const r = await cli('audit', '--json', ...args);
    expect([r.code, r.stderr]).toEqual([0, '']);
    return JSON.parse(r.stdout) as Entry[];
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-audit-'));
    configFile = path.join(dir, 'config.toml');
    fs.writeFileSync(configFile, testConfigToml(dir));
    server = await startServerProcess(configFile);
    const api = server.api;
    // The history every test reads: API and command-line changes to two accounts, interleaved.
    a = await register(api);
    expect((await update(api, a, txtValue('a-one'))).status).toBe(200);
    b = await register(api);
    // A read changes nothing, so it is not audited.
    expect((await fetch(`${api}/account`, { headers: { 'X-Api-User': a.username, 'X-Api-Key': a.password } })).status).toBe(200);
    const rotated = await cli('accounts', 'rotate-password', a.username);
    expect(rotated.code).toBe(0);
    a = { ...a, password: rotated.stdout.trim() };
    expect((await cli('accounts', 'set-allowfrom', b.username, '127.0.0.0/8')).code).toBe(0);
    expect((await update(api, b, txtValue('b-one'))).status).toBe(200);
    expect((await cli('accounts', 'clear-txt', a.username)).code).toBe(0);
    expect((await fetch(`${api}/account`, { method: 'DELETE', headers: { 'X-Api-User': a.username, 'X-Api-Key': a.password } })).status).toBe(204);
    expect((await cli('accounts', 'delete', b.username)).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('shows every change in order: time, account, actor, and the client address of API changes', async () => {
    const entries = await audit();
    expect(entries.map((e) => [e.action, e.username, e.actor, e.client])).toEqual([
      ['account.created', a.username, 'api', '127.0.0.1'],
      ['txt.updated', a.username, 'api', '127.0.0.1'],
      ['account.created', b.username, 'api', '127.0.0.1'],
      ['password.rotated', a.username, 'cli', null],
      ['allowfrom.changed', b.username, 'cli', null],
      ['txt.updated', b.username, 'api', '127.0.0.1'],
      ['txt.cleared', a.username, 'cli', null],
      ['account.deleted', a.username, 'api', '127.0.0.1'],
      ['account.deleted', b.username, 'cli', null],
    ]);
    expect(entries.map((e) => e.subdomain)).toEqual([a, a, b, a, b, b, a, a, b].map((r) => r.subdomain));
    const times = entries.map((e) => Date.parse(e.at));
    expect(times.every((t, i) => Number.isFinite(t) && (i === 0 || t >= times[i - 1]!))).toBe(true);
    expect(entries[4]!.detail).toEqual({ allowfrom: ['127.0.0.0/8'], previous: [] });
    expect(entries[6]!.detail).toEqual({ removed: 1 });
    const everything = JSON.stringify(entries);
    for (const secret of [a.password, b.password, txtValue('a-one'), txtValue('b-one')]) expect(everything).not.toContain(secret);
  });

  test('the text form: a header, then one line per change with time, action, account, actor and client', async () => {
    const r = await cli('audit', '--account', b.username);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME \(UTC\)\s+ACTION\s+ACCOUNT\s+ACTOR\s+CLIENT\s+DETAIL$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(1, 5))).toEqual([
      ['account.created', b.username, 'api', '127.0.0.1'],
      ['allowfrom.changed', b.username, 'cli', '-'],
      ['txt.updated', b.username, 'api', '127.0.0.1'],
      ['account.deleted', b.username, 'cli', '-'],
    ]);
    expect(lines.slice(1).every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /.test(l))).toBe(true);
  });

  test('filters by account (username, any case), and by time: --since inclusive, --until exclusive', async () => {
    const all = await audit();
    const ofA = await audit('--account', a.username.toUpperCase());
    expect(ofA.map((e) => e.id)).toEqual(all.filter((e) => e.username === a.username).map((e) => e.id));
    const cut = all[4]!.at;
    expect((await audit('--since', cut)).map((e) => e.id)).toEqual(all.filter((e) => e.at >= cut).map((e) => e.id));
    expect((await audit('--until', cut)).map((e) => e.id)).toEqual(all.filter((e) => e.at < cut).map((e) => e.id));
    expect((await audit('--account', b.username, '--since', cut)).map((e) => e.id)).toEqual(
      all.filter((e) => e.username === b.username && e.at >= cut).map((e) => e.id),
    );
    // Durations count back from now: everything happened within the last hour, nothing before it.
    expect(await audit('--since', '1h')).toHaveLength(all.length);
    await expect(audit('--until', '1h')).resolves.toEqual([]);
    await expect(audit('--account', '00000000-0000-4000-8000-000000000000')).resolves.toEqual([]);
  });

  test('a time it cannot read: one line, exit 1', async () => {
    const r = await cli('audit', '--since', 'last tuesday');
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'acmedns: --since: not an ISO time (2024-05-01T12:00Z) nor a duration ago (24h, 7d): "last tuesday"\n' });
  });
});
