import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { rcodeOf, udpQuery } from './support/dns-client';
import { testConfigToml } from './support/daemon';
import { runCli, startServerProcess } from './support/server-process';

const ROOT = path.resolve(__dirname, '..');

/** `acmedns help`, byte for byte as it was before the command table wrote it (plus the tsig subcommands and dnssec). */
const OVERVIEW = `usage: acmedns <command> [-c FILE]

commands:
  serve          run the DNS server and the HTTP API (the default)
  check-config   load and validate the configuration, then exit
  import         copy accounts and TXT values from acme-dns into the configured store:
                 import --from <acme-dns.db file | postgres URL> [--dry-run]
  check-delegation <domain> [--resolver ADDRESS]
                 whether _acme-challenge.<domain> leads by CNAME to an account here and every
                 name server of the zone answers for it; says what to fix (--help for more)
  dnssec ds|status|rollover [--resolver HOST:PORT] [--force] [--json]
                 the DS for the parent, the keys and the parent's DS, a key rollover step by
                 step (--help for more)
  version        print the version (also --version)

options:
  -c, --config FILE   configuration file (TOML; an acme-dns config.cfg works unchanged).
                      Without it: /etc/acme-dns/config.cfg, then ./config.cfg, as acme-dns.

account management (works while the server runs; each takes -c FILE):
  accounts list [--json]                      every account: values served, last update, allowfrom
  accounts show <account> [--json]            one account (username or subdomain) and its live values
  accounts create [--allowfrom CIDR,...]      a new account; prints the same JSON as POST /register
  accounts delete <account>                   the account and its values (its name becomes NXDOMAIN)
  accounts rotate-password <account>          a new key; printed once, the old one stops working
  accounts set-allowfrom <account> <CIDR,...|none>
  accounts clear-txt <account>                removes the values the account's name serves
  accounts tsig add <account> [--algorithm NAME] [--server HOST:PORT] [--json]
                                              a TSIG key for RFC 2136 updates of the account's
                                              name, printed once with settings for nsupdate,
                                              knsupdate, lego, cert-manager and acme.sh;
                                              NAME: hmac-sha256 (default), hmac-sha512, hmac-sha384,
                                              hmac-sha224, hmac-sha1, hmac-md5
  accounts tsig list <account> [--json]       the account's TSIG keys (never their secrets)
  accounts tsig remove <key-name>             the TSIG key; updates signed with it are refused
  audit [--account USERNAME] [--since T] [--until T] [--json]
                                              changes, oldest first; T: ISO time (UTC unless it has
                                              an offset) or a duration ago (30m, 24h, 7d, 1h30m)
`;

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

  it('prints the overview of every command, as before the command table', async () => {
    const overview = await runCli(['help']);
    expect(overview).toMatchObject({ code: 0, stdout: OVERVIEW, stderr: '' });
    await expect(runCli(['-h'])).resolves.toMatchObject({ code: 0, stdout: OVERVIEW });
    await expect(runCli(['help', '--help'])).resolves.toMatchObject({ code: 0, stdout: OVERVIEW });
  });

  it('prints one command\'s help for help <command> and <command> --help alike', async () => {
    const names = ['serve', 'check-config', 'import', 'check-delegation', 'version', 'accounts', 'audit', 'dnssec'];
    const results = await Promise.all(names.map(async (name) => [await runCli(['help', name]), await runCli([name, '--help'])] as const));
    for (const [i, [viaHelp, viaFlag]] of results.entries()) {
      expect(viaHelp).toMatchObject({ code: 0, stderr: '' });
      expect(viaFlag).toEqual(viaHelp);
      expect(viaHelp.stdout).toContain(names[i]);
    }
    const [serve, check, accounts] = [results[0]![0].stdout, results[3]![0].stdout, results[5]![0].stdout];
    expect(serve).toMatch(/^usage: acmedns \[serve\] \[-c FILE\]\n/);
    expect(check).toMatch(/^delegation check:\n  check-delegation <domain>/);
    // accounts and audit share one block, the one `acmedns help` ends with.
    expect(accounts).toBe(OVERVIEW.slice(OVERVIEW.indexOf('account management')));
    expect(results[6]![0].stdout).toBe(accounts);
    await expect(runCli(['help', 'help'])).resolves.toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: acmedns help \[<command>\]/) });
    await expect(runCli(['-c', 'x.toml', 'import', '-h'])).resolves.toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: acmedns import --from/) });
  }, 120_000); // sixteen processes, on a machine that may be busy

  it('refuses help for a command that does not exist', async () => {
    await expect(runCli(['help', 'frobnicate'])).resolves.toEqual({ code: 1, stdout: '', stderr: 'acmedns: unknown command: frobnicate\n' });
    await expect(runCli(['help', 'serve', 'audit'])).resolves.toMatchObject({ code: 1, stderr: 'acmedns: unexpected argument: audit\n' });
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
