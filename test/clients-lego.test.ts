/**
 * lego (Debian 4.9.1, built without the acme-dns provider) with `--dns httpreq` against our
 * server: POST /present and /cleanup with Basic auth username:password on an acme-dns account.
 * lego follows the CNAME itself, then checks every NS of our zone directly on port 53 (it
 * resolves their names through /etc/resolv.conf, hence the private mount namespace).
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, type TopologyServer } from './topology/acmedns';
import { startTopology, topologySkipReason, type Topology } from './topology';

jest.setTimeout(240_000);

const skip = topologySkipReason(['lego']);
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`lego client tests skipped: ${skip}`);

const NAME = 'shop.example.test';

interface Registration {
  username: string;
  password: string;
  fulldomain: string;
  subdomain: string;
}

suite('lego --dns httpreq, through a CNAME to an account', () => {
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

  it('gets a certificate for the name and its wildcard', async () => {
    const res = await fetch(`${server.api}/register`, { method: 'POST' });
    expect(res.status).toBe(201);
    const account = (await res.json()) as Registration;
    await topo.knot.setCname(`_acme-challenge.${NAME.split('.')[0]}`, account.fulldomain);

    const work = fs.mkdtempSync(path.join(topo.dir, 'lego-'));
    const run = await topo.runClient(
      'lego',
      ['--accept-tos', '--email', 'admin@example.test', '--server', topo.pebble.directoryUrl, '--path', work,
        '--dns', 'httpreq', '--domains', NAME, '--domains', `*.${NAME}`, 'run'],
      {
        env: {
          HOME: work,
          LEGO_CA_CERTIFICATES: topo.pebble.httpsCaFile,
          HTTPREQ_ENDPOINT: server.api,
          HTTPREQ_USERNAME: account.username,
          HTTPREQ_PASSWORD: account.password,
          HTTPREQ_PROPAGATION_TIMEOUT: '60',
          HTTPREQ_POLLING_INTERVAL: '1',
        },
      },
    );
    if (run.code !== 0) {
      throw new Error(`lego failed (exit ${run.code}):\n${run.stderr.slice(-6000)}\n--- acmedns ---\n${server.logText().slice(-4000)}\n--- topology ---\n${topo.output().slice(-3000)}`);
    }
    const chain = fs.readFileSync(path.join(work, 'certificates', `${NAME}.crt`), 'utf8');
    const [leafPem, intermediatePem] = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    const leaf = new X509Certificate(leafPem ?? '');
    const intermediate = new X509Certificate(intermediatePem ?? '');
    const root = new X509Certificate(await topo.pebble.issuingRoot());
    expect(leaf.verify(intermediate.publicKey)).toBe(true);
    expect(intermediate.verify(root.publicKey)).toBe(true);
    expect(leaf.issuer).toMatch(/Pebble Intermediate CA/);
    expect(leaf.subjectAltName?.split(', ').sort()).toEqual([`DNS:*.${NAME}`, `DNS:${NAME}`]);
    // lego presented both values on the account and cleaned both up again.
    const requests = server.logText().split('\n').filter((l) => l.includes('"msg":"api request"'));
    expect(requests.filter((l) => l.includes('"route":"/present"') && l.includes('"status":200'))).toHaveLength(2);
    expect(requests.filter((l) => l.includes('"route":"/cleanup"') && l.includes('"status":200'))).toHaveLength(2);
    const left = await fetch(`${server.api}/account`, { headers: { 'X-Api-User': account.username, 'X-Api-Key': account.password } });
    expect(((await left.json()) as { txt: string[] }).txt).toEqual([]);
  });
});
