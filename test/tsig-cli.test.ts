/**
 * `acmedns accounts tsig add/list/remove` as an operator runs them: the built binary against the
 * store of a running server. The printed settings are checked with the programs that use them:
 * nsupdate reads the key file and knsupdate the -y argument, and what each signs verifies with the
 * key as the store holds it (src/dns/tsig, the server's own check); and the key updates the
 * account's name through the running server, until it is removed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../src/config';
import { findTsig, verifyRequest } from '../src/dns/tsig';
import { openStore, type Store } from '../src/store';
import { authHeaders, register, send } from './support/api-client';
import { txtValues, udpQuery } from './support/dns-client';
import { testConfigToml } from './support/daemon';
import { startPostgres, type TestPostgres } from './support/postgres';
import { runCli, startServerProcess, type ServerProcess } from './support/server-process';
import { knsupdate, nsupdate, type ClientKey, type ClientRun } from './support/rfc2136';
import { captureUpdate } from './support/update-capture';

/** What `tsig add --json` prints (at least these). */
interface KeyJson {
  name: string;
  algorithm: string;
  secret: string;
  fqdn: string;
  server: string;
  zone: string;
  settings: { nsupdateKey: string; keyFile: string; keyFileName: string; nsupdateCommands: string; lego: Record<string, string>; certManager: unknown };
}

describe.each(['sqlite', 'postgres'] as const)('acmedns accounts tsig while the server runs (%s)', (engine) => {
  let dir: string;
  let pg: TestPostgres | undefined;
  let configFile: string;
  let server: ServerProcess | undefined;
  let store: Store;

  const cli = (...args: string[]): ReturnType<typeof runCli> => runCli([...args, '-c', configFile]);
  const addJson = async (...args: string[]): Promise<KeyJson> => {
    const r = await cli('accounts', 'tsig', 'add', ...args, '--json');
    expect([r.code, r.stderr]).toEqual([0, '']);
    // Exactly one JSON object on one line.
    expect(r.stdout).toMatch(/^\{[^\n]*\}\n$/);
    return JSON.parse(r.stdout) as KeyJson;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-tsig-'));
    configFile = path.join(dir, 'config.toml');
    const postgresUrl = engine === 'postgres' ? await (pg = await startPostgres()).createDatabase() : undefined;
    const toml = testConfigToml(dir, '', postgresUrl ? { postgresUrl } : {});
    fs.writeFileSync(configFile, toml);
    server = await startServerProcess(configFile);
    // The same store, opened beside the server as the CLI does, to see what the commands stored.
    const config = parseConfig(toml, {}, 'test.toml');
    store = await openStore(config.database, config.txt, config.dns.domain);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    await pg?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('add --json: one object with the key, the account name and the settings; the store holds that secret', async () => {
    const acct = await register(server!.api);
    const key = await addJson(acct.username);
    expect(key.name).toMatch(new RegExp(`^[0-9a-f]{8}\\.${acct.subdomain}\\.auth\\.example\\.org$`));
    expect(key).toMatchObject({ algorithm: 'hmac-sha256', fqdn: acct.fulldomain, zone: 'auth.example.org', server: 'ns1.auth.example.org:53' });
    expect(Buffer.from(key.secret, 'base64').length).toBe(32);
    expect(key.settings.lego).toEqual({
      RFC2136_NAMESERVER: 'ns1.auth.example.org:53',
      RFC2136_TSIG_KEY: `${key.name}.`,
      RFC2136_TSIG_SECRET: key.secret,
      RFC2136_TSIG_ALGORITHM: 'hmac-sha256.',
    });
    const stored = await store.findTsigKey(key.name);
    expect(stored).toMatchObject({ name: key.name, algorithm: 'hmac-sha256', username: acct.username, subdomain: acct.subdomain });
    expect(stored?.secret.toString('base64')).toBe(key.secret);
  });

  test.each(['hmac-sha256', 'hmac-sha512', 'hmac-sha384', 'hmac-sha224', 'hmac-sha1', 'hmac-md5'])(
    '%s: nsupdate -k <key file> and knsupdate -y sign updates the server verifies with the stored key',
    async (algorithm) => {
      const acct = await register(server!.api);
      const key = await addJson(acct.subdomain, '--algorithm', algorithm.toUpperCase(), '--server', '127.0.0.1:5353');
      expect(key.algorithm).toBe(algorithm);
      const stored = await store.findTsigKey(key.name);
      expect(stored).toBeDefined();
      const keyFile = path.join(dir, key.settings.keyFileName);
      fs.writeFileSync(keyFile, key.settings.keyFile, { mode: 0o600 });
      const commands = (port: number): string => key.settings.nsupdateCommands.replace('server 127.0.0.1 5353', `server 127.0.0.1 ${port}`);
      for (const [program, args] of [
        ['nsupdate', ['-k', keyFile]],
        ['knsupdate', ['-y', key.settings.nsupdateKey]],
      ] as const) {
        const sent = await captureUpdate(program, args, commands);
        const record = findTsig(sent);
        expect([program, record?.keyName]).toEqual([program, key.name]);
        const verdict = verifyRequest(sent, record!, stored, Date.now() / 1000);
        expect([program, verdict.ok]).toEqual([program, true]);
        // The same request with another secret does not verify: the check above means something.
        const wrong = verifyRequest(sent, record!, { ...stored!, secret: Buffer.alloc(stored!.secret.length, 1) }, Date.now() / 1000);
        expect([program, wrong.ok]).toEqual([program, false]);
      }
    },
    30_000,
  );

  test("the printed key changes the account's name through the server (nsupdate, knsupdate), nothing else; removed, it is refused", async () => {
    const [acct, other] = [await register(server!.api), await register(server!.api)];
    const doc = await addJson(acct.username, '--algorithm', 'hmac-sha512');
    const key: ClientKey = { name: `${doc.name}.`, algorithm: 'hmac-sha512', secret: doc.secret };
    const served = async (fqdn: string): Promise<string[]> => txtValues(await udpQuery(server!.dns, { name: `${fqdn}.`, type: 'TXT' }));
    const ok = (run: ClientRun): void => expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });

    ok(await nsupdate({ server: server!.dns, key, commands: [`update add ${doc.fqdn}. 60 TXT "by-nsupdate"`] }));
    ok(await knsupdate({ server: server!.dns, key, commands: [`update add ${doc.fqdn}. 60 TXT "by-knsupdate"`] }));
    expect((await served(doc.fqdn)).sort()).toEqual(['by-knsupdate', 'by-nsupdate']);
    ok(await nsupdate({ server: server!.dns, key, commands: [`update delete ${doc.fqdn}. TXT "by-nsupdate"`] }));
    expect(await served(doc.fqdn)).toEqual(['by-knsupdate']);

    const elsewhere = await nsupdate({ server: server!.dns, key, commands: [`update add ${other.fulldomain}. 60 TXT "not-mine"`] });
    expect(elsewhere.code).not.toBe(0);
    expect(`${elsewhere.stdout}${elsewhere.stderr}`).toContain('REFUSED');
    expect(await served(other.fulldomain)).toEqual([]);

    expect((await cli('accounts', 'tsig', 'remove', doc.name)).code).toBe(0);
    const removed = await nsupdate({ server: server!.dns, key, commands: [`update add ${doc.fqdn}. 60 TXT "after-removal"`] });
    expect(removed.code).not.toBe(0);
    expect(await served(doc.fqdn)).toEqual(['by-knsupdate']);
  }, 60_000);

  test('a key made through the API names this server (nsname, the bound DNS port) and updates the name the same way', async () => {
    const acct = await register(server!.api);
    const res = await send(server!.api, { method: 'POST', path: '/account/tsig', headers: authHeaders(acct), body: '{"algorithm": "hmac-sha1"}' });
    expect(res.status).toBe(201);
    const doc = JSON.parse(res.body) as KeyJson;
    expect(doc).toMatchObject({ fqdn: acct.fulldomain, server: `ns1.auth.example.org:${server!.dns.port}`, algorithm: 'hmac-sha1' });
    expect(doc.settings.lego.RFC2136_NAMESERVER).toBe(`ns1.auth.example.org:${server!.dns.port}`);
    const run = await nsupdate({ server: server!.dns, key: { name: doc.name, algorithm: 'hmac-sha1', secret: doc.secret }, commands: [`update add ${doc.fqdn}. 60 TXT "by-api-key"`] });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(txtValues(await udpQuery(server!.dns, { name: `${doc.fqdn}.`, type: 'TXT' }))).toEqual(['by-api-key']);
  });

  test('add for people: the key once, then every client under a heading; an algorithm cert-manager lacks is said', async () => {
    const acct = await register(server!.api);
    const r = await cli('accounts', 'tsig', 'add', acct.username, '--algorithm', 'hmac-sha384', '--server', '[2001:db8::53]:5353');
    expect([r.code, r.stderr]).toEqual([0, '']);
    const [name, secret] = [/^name: +(\S+)$/m.exec(r.stdout)?.[1] ?? '', /^secret: +(\S+)$/m.exec(r.stdout)?.[1] ?? ''];
    expect(Buffer.from(secret, 'base64').length).toBe(48);
    expect(r.stdout).toContain(`TSIG key for ${acct.fulldomain}\n`);
    expect(r.stdout).toContain(`key "${name}." {\n\talgorithm hmac-sha384;\n\tsecret "${secret}";\n};\n`);
    expect(r.stdout).toContain(`nsupdate -y hmac-sha384:${name}.:${secret} <<'EOF'\nserver 2001:db8::53 5353\nzone auth.example.org.\n`);
    expect(r.stdout).toContain(`knsupdate -y hmac-sha384:${name}.:${secret} <<'EOF'\n`);
    expect(r.stdout).toContain('export RFC2136_NAMESERVER="[2001:db8::53]:5353"\nexport RFC2136_TSIG_KEY="');
    expect(r.stdout).toContain('export RFC2136_TSIG_ALGORITHM="hmac-sha384."\n');
    expect(r.stdout).toContain('# cert-manager has no name for hmac-sha384');
    expect(r.stdout).toContain(`export NSUPDATE_SERVER="2001:db8::53"\nexport NSUPDATE_SERVER_PORT="5353"\nexport NSUPDATE_KEY="$PWD/${name}.key"\nexport NSUPDATE_ZONE="auth.example.org"\n`);
    expect(r.stdout).toContain(`acme.sh --issue --dns dns_nsupdate -d example.com --domain-alias ${acct.fulldomain}\n`);

    const sha256 = await cli('accounts', 'tsig', 'add', acct.username);
    expect(sha256.stdout).toContain('      tsigAlgorithm: HMACSHA256\n');
    expect(sha256.stdout).toContain('    cnameStrategy: Follow\n');
    expect(sha256.stdout).toContain('  secret: "');
  });

  test('list shows names, algorithms and times, never a secret; remove takes any spelling, then the key is gone', async () => {
    const acct = await register(server!.api);
    const a = await addJson(acct.username);
    const b = await addJson(acct.username, '--algorithm', 'hmac-md5');
    const listed = JSON.parse((await cli('accounts', 'tsig', 'list', acct.subdomain, '--json')).stdout) as { name: string; algorithm: string; created: string }[];
    expect(listed.map((k) => [k.name, k.algorithm]).sort()).toEqual(
      [
        [a.name, 'hmac-sha256'],
        [b.name, 'hmac-md5'],
      ].sort(),
    );
    for (const k of listed) expect(k.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const text = await cli('accounts', 'tsig', 'list', acct.username);
    expect(text.stdout.split('\n')[0]).toMatch(/^NAME +ALGORITHM +CREATED$/);
    expect(text.stdout).toContain(`${a.name}  hmac-sha256  `);
    expect(text.stdout + JSON.stringify(listed)).not.toContain(a.secret);
    expect(text.stdout).not.toContain(b.secret);

    const removed = await cli('accounts', 'tsig', 'remove', `${a.name.toUpperCase()}.`);
    expect(removed).toEqual({ code: 0, stdout: `removed TSIG key ${a.name.toUpperCase()}.\n`, stderr: '' });
    await expect(store.findTsigKey(a.name)).resolves.toBeUndefined();
    await expect(store.findTsigKey(b.name)).resolves.toBeDefined();
    await expect(cli('accounts', 'tsig', 'remove', a.name)).resolves.toEqual({ code: 1, stdout: '', stderr: `acmedns: no TSIG key ${a.name}\n` });
    expect((await cli('accounts', 'tsig', 'list', acct.username)).stdout).not.toContain(a.name);
    await cli('accounts', 'tsig', 'remove', b.name);
    expect((await cli('accounts', 'tsig', 'list', acct.username)).stdout).toBe(`no TSIG keys for ${acct.fulldomain}\n`);
  });

  test('audit: tsig.added and tsig.removed by cli, naming the key and never its secret', async () => {
    const acct = await register(server!.api);
    const key = await addJson(acct.username);
    await cli('accounts', 'tsig', 'remove', key.name);
    const r = await cli('audit', '--account', acct.username, '--json');
    const entries = JSON.parse(r.stdout) as { action: string; actor: string; detail: unknown }[];
    expect(entries.filter((e) => e.action.startsWith('tsig.'))).toEqual([
      expect.objectContaining({ action: 'tsig.added', actor: 'cli', detail: { name: key.name, algorithm: 'hmac-sha256' } }),
      expect.objectContaining({ action: 'tsig.removed', actor: 'cli', detail: { name: key.name, algorithm: 'hmac-sha256' } }),
    ]);
    expect(r.stdout).not.toContain(key.secret);
  });

  test('the cap: ten keys per account, the eleventh refused with one line; nothing more stored', async () => {
    const acct = await register(server!.api);
    for (let i = 0; i < 10; i++) await addJson(acct.username);
    const r = await cli('accounts', 'tsig', 'add', acct.username);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'acmedns: an account holds at most 10 TSIG keys; remove one first\n' });
    expect((await store.listTsigKeys(acct.username)).length).toBe(10);
  }, 60_000);

  test('wrong input: one line on stderr and exit 1, nothing stored', async () => {
    const acct = await register(server!.api);
    const cases: [string[], RegExp][] = [
      [['accounts', 'tsig', 'add', 'no-such-account'], /^acmedns: unknown account: no-such-account\n$/],
      [['accounts', 'tsig', 'list', 'no-such-account'], /^acmedns: unknown account: no-such-account\n$/],
      [['accounts', 'tsig', 'add', acct.username, '--algorithm', 'hmac-sha3'], /^acmedns: unknown TSIG algorithm "hmac-sha3": one of hmac-sha256, hmac-sha512, hmac-sha384, hmac-sha224, hmac-sha1, hmac-md5\n$/],
      [['accounts', 'tsig', 'add', acct.username, '--server', 'a b'], /^acmedns: --server: not HOST, HOST:PORT or \[IPv6\]:PORT: a b\n$/],
      [['accounts', 'tsig', 'remove', '\x1b[2Jx'], /^acmedns: no TSIG key \\x1b\[2Jx\n$/],
      [['accounts', 'tsig', 'remove'], /^acmedns: accounts tsig remove needs <key-name>\n$/],
    ];
    for (const [args, stderr] of cases) {
      const r = await cli(...args);
      expect([args, r.code, r.stdout]).toEqual([args, 1, '']);
      expect(r.stderr).toMatch(stderr);
    }
    expect(await store.listTsigKeys(acct.username)).toEqual([]);
  });
});
