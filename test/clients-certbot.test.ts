/**
 * certbot (Debian) with the hooks from examples/certbot obtains a certificate for a name and its
 * wildcard from pebble, through `_acme-challenge.<name> CNAME <account fulldomain>` in the parent
 * zone, validated by pebble via unbound (0x20) against our real daemon on port 53.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, type TopologyServer } from './topology/acmedns';
import { startTopology, topologySkipReason, type ClientRun, type Topology } from './topology';

jest.setTimeout(240_000);

const skip = topologySkipReason(['certbot', 'python3']);
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`certbot client tests skipped: ${skip}`);

const HOOKS = path.resolve(__dirname, '..', 'examples', 'certbot');
const NAME = 'app.example.test';

function explain(run: ClientRun, topo: Topology, server: TopologyServer): string {
  return `exit ${run.code}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr.slice(-6000)}\n--- acmedns ---\n${server
    .logText()
    .slice(-4000)}\n--- topology ---\n${topo.output().slice(-4000)}`;
}

/** Checks the chain leaf -> intermediate -> pebble's issuing root, signature by signature. */
function verifyChain(chainPem: string, rootPem: string): X509Certificate {
  const certs = (chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((p) => new X509Certificate(p));
  const root = new X509Certificate(rootPem);
  const [leaf, intermediate] = certs;
  if (!leaf || !intermediate) throw new Error(`expected leaf + intermediate, got ${certs.length} certificates`);
  expect(leaf.verify(intermediate.publicKey)).toBe(true);
  expect(intermediate.verify(root.publicKey)).toBe(true);
  expect(intermediate.issuer).toBe(root.subject);
  return leaf;
}

suite('certbot with the example hooks, through a CNAME to an account', () => {
  let topo: Topology;
  let server: TopologyServer;

  beforeAll(async () => {
    topo = await startTopology();
    server = await startServer(topo);
  });
  afterAll(async () => {
    await server?.stop();
    await topo?.stop();
  });

  it('registers once with the hook, then gets a certificate for the name and its wildcard', async () => {
    const work = fs.mkdtempSync(path.join(topo.dir, 'certbot-'));
    const storage = path.join(work, 'acmedns.json');
    const env = { ACMEDNS_URL: server.api, ACMEDNS_STORAGE: storage, REQUESTS_CA_BUNDLE: topo.pebble.httpsCaFile, HOME: work };

    // The CNAME step: register, store the account 0600, print the record to create.
    const reg = await topo.runClient('python3', [path.join(HOOKS, 'acme-dns-auth.py'), 'register', NAME], { env });
    expect(reg.code).toBe(0);
    expect(fs.statSync(storage).mode & 0o777).toBe(0o600);
    const account = (JSON.parse(fs.readFileSync(storage, 'utf8')) as Record<string, { fulldomain: string }>)[NAME];
    expect(account?.fulldomain).toMatch(/^[0-9a-f-]{36}\.auth\.example\.test$/);
    expect(reg.stdout.trim()).toBe(`_acme-challenge.${NAME}. CNAME ${account?.fulldomain}.`);
    await topo.knot.setCname('_acme-challenge.app', account?.fulldomain ?? '');

    const run = await topo.runClient(
      'certbot',
      [
        'certonly', '--non-interactive', '--agree-tos', '--register-unsafely-without-email',
        '--server', topo.pebble.directoryUrl,
        '--config-dir', path.join(work, 'config'), '--work-dir', path.join(work, 'work'), '--logs-dir', path.join(work, 'logs'),
        '--manual', '--preferred-challenges', 'dns',
        '--manual-auth-hook', `python3 ${path.join(HOOKS, 'acme-dns-auth.py')}`,
        '--manual-cleanup-hook', `python3 ${path.join(HOOKS, 'acme-dns-cleanup.py')}`,
        '--cert-name', 'app', '-d', NAME, '-d', `*.${NAME}`,
      ],
      { env },
    );
    if (run.code !== 0) throw new Error(`certbot failed:\n${explain(run, topo, server)}`);

    const chain = fs.readFileSync(path.join(work, 'config', 'live', 'app', 'fullchain.pem'), 'utf8');
    const leaf = verifyChain(chain, await topo.pebble.issuingRoot());
    expect(leaf.subjectAltName?.split(', ').sort()).toEqual([`DNS:*.${NAME}`, `DNS:${NAME}`]);
    expect(leaf.issuer).toMatch(/Pebble Intermediate CA/);
    // The cleanup hook withdrew both values through httpreq's /cleanup: the name serves none.
    const creds = (JSON.parse(fs.readFileSync(storage, 'utf8')) as Record<string, { username: string; password: string }>)[NAME];
    const left = await fetch(`${server.api}/account`, { headers: { 'X-Api-User': creds?.username ?? '', 'X-Api-Key': creds?.password ?? '' } });
    expect(left.status).toBe(200);
    expect(((await left.json()) as { txt: string[] }).txt).toEqual([]);
  });
});
