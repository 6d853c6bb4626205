/**
 * `acmedns check-delegation` (the built CLI) against the test topology: knot serving example.test
 * with the users' CNAMEs, unbound as the resolver, our daemon as the delegated auth.example.test on
 * its own loopback address. A correct delegation, a missing CNAME, a CNAME to an unknown account
 * and one out of the zone, each with its exit code and the words that say what to fix.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { startDaemon, type Daemon } from '../src/daemon';
import { silentLogger } from '../src/log';
import { register, type Registration, txtValue, update } from './support/api-client';
import { runCli } from './support/server-process';
import { NS_NAME, startTopology, topologySkipReason, ZONE, type Topology } from './topology';

jest.setTimeout(120_000);

const skip = topologySkipReason();
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`check-delegation tests skipped: ${skip}`);

suite('acmedns check-delegation against the topology', () => {
  let topo: Topology;
  let daemon: Daemon;
  let configFile: string;
  let account: Registration;

  const check = (domain: string): Promise<{ code: number; stdout: string; stderr: string }> =>
    runCli(['check-delegation', domain, '--resolver', `${topo.addresses.unbound}:53`, '-c', configFile]);

  beforeAll(async () => {
    topo = await startTopology({ startPebble: false });
    const address = topo.addresses.acmedns;
    configFile = path.join(topo.dir, 'acmedns.toml');
    fs.writeFileSync(
      configFile,
      `[general]
listen = "${address}:53"
protocol = "both4"
domain = "${ZONE}"
nsname = "${NS_NAME}"
nsadmin = "hostmaster.${ZONE}"
workers = 1
records = ["${ZONE}. A ${address}", "${NS_NAME}. A ${address}", "${ZONE}. NS ${NS_NAME}."]
[database]
engine = "sqlite"
connection = "${path.join(topo.dir, 'acmedns.db')}"
[api]
ip = "${address}"
port = "0"
tls = "none"
`,
    );
    daemon = await startDaemon(loadConfig(configFile, {}), { logger: silentLogger() });
    account = await register(daemon.addresses.api.url);
    expect((await update(daemon.addresses.api.url, account, txtValue('delegation'))).status).toBe(200);
  });
  afterAll(async () => {
    await daemon?.stop();
    await topo?.stop();
  });

  test('a correct delegation: every check ok, exit code 0', async () => {
    await topo.knot.setCname('_acme-challenge.shop', account.fulldomain);
    const r = await check('shop.example.test');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n')).toEqual([
      `checking _acme-challenge.shop.example.test (zone ${ZONE}, resolver ${topo.addresses.unbound})`,
      `ok    _acme-challenge.shop.example.test is a CNAME to ${account.fulldomain}`,
      `ok    an account has subdomain ${account.subdomain} (1 TXT value live)`,
      `ok    name servers of ${ZONE}: ${NS_NAME}`,
      `ok    name server ${NS_NAME} (${topo.addresses.acmedns}) answers for ${account.fulldomain}: 1 TXT value`,
      'ok    through the resolver _acme-challenge.shop.example.test shows 1 TXT value (what a CA sees)',
      'the delegation is correct',
      '',
    ]);
  });

  test('a wildcard name is checked at the same _acme-challenge name', async () => {
    const r = await check('*.shop.example.test');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('checking _acme-challenge.shop.example.test ');
  });

  test('a missing CNAME: what to create, exit code 1', async () => {
    const r = await check('nocname.example.test');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  _acme-challenge.nocname.example.test does not exist\n');
    expect(r.stdout).toContain(`      fix: create _acme-challenge.nocname.example.test. CNAME <subdomain>.${ZONE}.`);
    // The name servers are still checked, so a broken delegation shows up too.
    expect(r.stdout).toContain(`ok    name server ${NS_NAME} (${topo.addresses.acmedns}) answers for ${ZONE}`);
    expect(r.stdout).toMatch(/\n1 problem found\n$/);
  });

  test('a CNAME to an account that does not exist: register one or fix the CNAME, exit code 1', async () => {
    const ghost = crypto.randomUUID();
    await topo.knot.setCname('_acme-challenge.ghost', `${ghost}.${ZONE}`);
    const r = await check('ghost.example.test');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`ok    _acme-challenge.ghost.example.test is a CNAME to ${ghost}.${ZONE}\n`);
    expect(r.stdout).toContain(`FAIL  no account has subdomain ${ghost}\n`);
    expect(r.stdout).toContain('      fix: register one (POST /register or "acmedns accounts create") and point _acme-challenge.ghost.example.test at its fulldomain, or fix the CNAME');
    expect(r.stdout).toMatch(/\n1 problem found\n$/);
  });

  test('a CNAME out of our zone: where it points and what it should point to', async () => {
    await topo.knot.setCname('_acme-challenge.away', `elsewhere.example.test`);
    const r = await check('away.example.test');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL  the CNAME points to elsewhere.example.test, which is not in ${ZONE}\n`);
    expect(r.stdout).toContain(`      fix: make _acme-challenge.away.example.test a CNAME to <subdomain>.${ZONE}`);
  });

  test('a wrong command line: one line on stderr, exit code 1', async () => {
    const r = await runCli(['check-delegation', '-c', configFile]);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe('acmedns: check-delegation needs a domain: check-delegation <domain> [--resolver ADDRESS] [-c FILE]\n');
  });
});
