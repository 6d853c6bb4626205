/**
 * `acmedns accounts ...` as an operator runs it: the built binary, against the store of a server
 * process that keeps running (SQLite file in WAL mode, or PostgreSQL), each change checked through
 * the server's own API and DNS answers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { register, type Registration, txtValue, update } from './support/api-client';
import { rcodeOf, txtValues, udpQuery } from './support/dns-client';
import { testConfigToml } from './support/daemon';
import { startPostgres, type TestPostgres } from './support/postgres';
import { runCli, startServerProcess, type ServerProcess } from './support/server-process';

describe.each(['sqlite', 'postgres'] as const)('acmedns accounts while the server runs (%s)', (engine) => {
  let dir: string;
  let configFile: string;
  let pg: TestPostgres | undefined;
  let server: ServerProcess | undefined;

  /** Runs `acmedns <args> -c <the server's config>`. */
  const cli = (...args: string[]): ReturnType<typeof runCli> => runCli([...args, '-c', configFile]);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-accounts-'));
    const postgresUrl = engine === 'postgres' ? await (pg = await startPostgres()).createDatabase() : undefined;
    configFile = path.join(dir, 'config.toml');
    fs.writeFileSync(configFile, testConfigToml(dir, '', postgresUrl ? { postgresUrl } : {}));
    server = await startServerProcess(configFile);
  }, 120_000);
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    await pg?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const api = (): string => server!.api;
  const txtOf = async (fulldomain: string): Promise<{ rcode: string; values: string[]; soa: boolean }> => {
    const reply = await udpQuery(server!.dns, { name: `${fulldomain}.`, type: 'TXT' });
    return { rcode: rcodeOf(reply), values: txtValues(reply), soa: (reply.packet.authorities ?? []).some((a) => a.type === 'SOA') };
  };

  test('create prints exactly the /register JSON; those credentials update, and list and show see it', async () => {
    const r = await cli('accounts', 'create', '--allowfrom', '127.0.0.0/8, [::1]/128');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    // One line of compact JSON, as acme.sh's line-based sed expects from /register.
    expect(r.stdout).toMatch(/^\{"username":"[^\n]*\}\n$/);
    const created = JSON.parse(r.stdout) as Registration;
    expect(Object.keys(created)).toEqual(['username', 'password', 'fulldomain', 'subdomain', 'allowfrom']);
    expect(created).toMatchObject({ fulldomain: `${created.subdomain}.auth.example.org`, allowfrom: ['127.0.0.0/8', '::1/128'] });
    expect(created.password).toMatch(/^[A-Za-z0-9_-]{40}$/);

    await expect(update(api(), created, txtValue('cli-made'))).resolves.toEqual({ status: 200, body: `{"txt": "${txtValue('cli-made')}"}` });
    await expect(txtOf(created.fulldomain)).resolves.toMatchObject({ rcode: 'NOERROR', values: [txtValue('cli-made')] });

    const list = await cli('accounts', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n').find((l) => l.startsWith(created.username))).toMatch(/ 1 {2}\d{4}-\d\d-\d\dT[\d:]+Z {2}127\.0\.0\.0\/8, ::1\/128$/);
    const listed = JSON.parse((await cli('accounts', 'list', '--json')).stdout) as { username: string; values: number }[];
    expect(listed.find((a) => a.username === created.username)).toMatchObject({ values: 1, fulldomain: created.fulldomain });

    const shown = await cli('accounts', 'show', created.subdomain.toUpperCase(), '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ username: created.username, txt: [txtValue('cli-made')], values: 1 });
    const text = await cli('accounts', 'show', created.username);
    expect(text.stdout).toContain(`fulldomain:  ${created.fulldomain}\n`);
    expect(text.stdout).toContain(`  ${txtValue('cli-made')}\n`);
    expect(text.stdout + shown.stdout + list.stdout).not.toContain(created.password);
  });

  test('rotate-password prints the new key once: the old key gets 401, the new one 200', async () => {
    const acct = await register(api());
    const r = await cli('accounts', 'rotate-password', acct.username);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[A-Za-z0-9_-]{40}\n$/);
    const password = r.stdout.trim();
    expect(password).not.toBe(acct.password);
    expect((await update(api(), acct, txtValue('old-key'))).status).toBe(401);
    expect((await update(api(), { ...acct, password }, txtValue('new-key'))).status).toBe(200);
  });

  test('delete: the name answers NXDOMAIN, the credentials 401, and a second delete is an unknown account', async () => {
    const acct = await register(api());
    expect((await update(api(), acct, txtValue('doomed'))).status).toBe(200);
    await expect(txtOf(acct.fulldomain)).resolves.toMatchObject({ rcode: 'NOERROR', values: [txtValue('doomed')] });
    const r = await cli('accounts', 'delete', acct.username);
    expect(r).toMatchObject({ code: 0, stdout: `deleted ${acct.username} (${acct.fulldomain})\n` });
    await expect(txtOf(acct.fulldomain)).resolves.toMatchObject({ rcode: 'NXDOMAIN', values: [] });
    expect((await update(api(), acct, txtValue('after'))).status).toBe(401);
    await expect(cli('accounts', 'delete', acct.username)).resolves.toEqual({ code: 1, stdout: '', stderr: `acmedns: unknown account: ${acct.username}\n` });
  });

  test('clear-txt: the account stays, its name answers NOERROR without records (NODATA, SOA in authority)', async () => {
    const acct = await register(api());
    for (const tag of ['one', 'two']) expect((await update(api(), acct, txtValue(tag))).status).toBe(200);
    const r = await cli('accounts', 'clear-txt', acct.subdomain);
    expect(r).toMatchObject({ code: 0, stdout: `removed 2 values of ${acct.fulldomain}\n` });
    await expect(txtOf(acct.fulldomain)).resolves.toEqual({ rcode: 'NOERROR', values: [], soa: true });
    expect((await update(api(), acct, txtValue('again'))).status).toBe(200);
  });

  test('set-allowfrom: an update from 127.0.0.1 is refused unless the list holds it; none lifts the limit', async () => {
    const acct = await register(api());
    const steps: [string, number][] = [
      ['192.0.2.0/24,2001:db8::/32', 401],
      ['127.0.0.1/32', 200],
      ['10.0.0.0/8', 401],
      ['none', 200],
    ];
    for (const [list, status] of steps) {
      const r = await cli('accounts', 'set-allowfrom', acct.username, list);
      expect([list, r.code, r.stderr]).toEqual([list, 0, '']);
      expect([list, (await update(api(), acct, txtValue(`af${status}`))).status]).toEqual([list, status]);
    }
  });

  test('wrong input: one line on stderr and exit 1, nothing changed', async () => {
    const acct = await register(api());
    const cases: [string[], RegExp][] = [
      [['accounts', 'show', '00000000-0000-4000-8000-000000000000'], /^acmedns: unknown account: 00000000-0000-4000-8000-000000000000\n$/],
      [['accounts', 'rotate-password', 'no-such-name'], /^acmedns: unknown account: no-such-name\n$/],
      [['accounts', 'set-allowfrom', acct.username, '10.0.0.0/33'], /^acmedns: invalid allowfrom: not a CIDR: "10\.0\.0\.0\/33"\n$/],
      [['accounts', 'create', '--allowfrom', 'example.org'], /^acmedns: invalid allowfrom: not a CIDR: "example\.org"\n$/],
      [
        ['accounts', 'set-allowfrom', acct.username, Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`).join(',')],
        /^acmedns: invalid allowfrom: 101 entries, more than 100\n$/,
      ],
      [['accounts', 'show', '\x1b[31mno-such\x07'], /^acmedns: unknown account: \\x1b\[31mno-such\\x07\n$/],
      [['accounts', 'delete'], /^acmedns: accounts delete needs <account>\n$/],
      [['accounts', 'rename', acct.username], /^acmedns: unknown accounts subcommand: rename/],
      [['accounts', 'delete', acct.username, '--json'], /^acmedns: --json is an option of accounts list, show, tsig add and tsig list, not of delete\n$/],
    ];
    for (const [args, stderr] of cases) {
      const r = await cli(...args);
      expect([args, r.code, r.stdout]).toEqual([args, 1, '']);
      expect(r.stderr).toMatch(stderr);
    }
    expect((await update(api(), acct, txtValue('untouched'))).status).toBe(200);
  });
});
