/**
 * lego (Debian 4.9.1) with `--dns rfc2136` against our server: it follows the user's CNAME
 * (`_acme-challenge.<name>` -> the account's name) through the topology's unbound, finds our zone
 * by its SOA, and sends TSIG-signed UPDATEs to our DNS address for the account's name; as the
 * provider is sequential, each challenge is one UPDATE "delete the TXT RRset, add the value"
 * (RFC 2136 §2.5.2, §2.5.1), validated, then "delete an RR" (§2.5.4). It checks propagation at
 * every name server of our zone on port 53 (names resolved through /etc/resolv.conf, hence the
 * private mount namespace).
 */
import { X509Certificate } from 'node:crypto';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { register, type Registration } from './support/api-client';
import { runCli } from './support/server-process';
import { startServer, type TopologyServer } from './topology/acmedns';
import { startTopology, topologySkipReason, type ClientRun, type Topology } from './topology';
import { addAccountKey, type AccountKey } from './topology/tsig-key';
import type { TsigAlgorithm } from '../src/store/zone-types';

jest.setTimeout(300_000);

const skip = topologySkipReason(['lego']);
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`lego rfc2136 client tests skipped: ${skip}`);

/** One audit entry as `acmedns audit --json` prints it. */
interface AuditLine {
  readonly action: string;
  readonly actor: string;
  readonly detail: Record<string, unknown> | null;
}

suite('lego --dns rfc2136, through a CNAME to an account', () => {
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

  const explain = (run: ClientRun): string =>
    `lego exit ${run.code}:\n${run.stderr.slice(-6000)}\n--- acmedns ---\n${server.logText().slice(-4000)}\n--- topology ---\n${topo.output().slice(-3000)}`;

  /** Registers an account and points `_acme-challenge.<label>.example.test` at it in the parent zone. */
  const accountFor = async (label: string): Promise<Registration> => {
    const account = await register(server.api);
    await topo.knot.setCname(`_acme-challenge.${label}`, account.fulldomain);
    return account;
  };

  /** The values the account's name serves now, as the API shows them. */
  const valuesOf = async (account: Registration): Promise<string[]> => {
    const res = await fetch(`${server.api}/account`, { headers: { 'X-Api-User': account.username, 'X-Api-Key': account.password } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { txt: string[] }).txt;
  };

  /** What the store recorded for the account. */
  const auditOf = async (account: Registration): Promise<AuditLine[]> => {
    const r = await runCli(['audit', '--json', '--account', account.username, '-c', server.configFile]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    return JSON.parse(r.stdout) as AuditLine[];
  };

  /** `lego --dns rfc2136 run` for `domains`, signing with `key` (its secret replaced by `secret` if given). */
  const lego = async (domains: string[], key: AccountKey, secret = key.secret): Promise<ClientRun & { work: string }> => {
    const work = fs.mkdtempSync(path.join(topo.dir, 'lego-rfc2136-'));
    const run = await topo.runClient(
      'lego',
      ['--accept-tos', '--email', 'admin@example.test', '--server', topo.pebble.directoryUrl, '--path', work,
        '--dns', 'rfc2136', '--dns.resolvers', `${topo.addresses.unbound}:53`,
        ...domains.flatMap((d) => ['--domains', d]), 'run'],
      {
        env: {
          HOME: work,
          LEGO_CA_CERTIFICATES: topo.pebble.httpsCaFile,
          RFC2136_NAMESERVER: `${topo.addresses.acmedns}:53`,
          RFC2136_TSIG_KEY: key.name,
          RFC2136_TSIG_SECRET: secret,
          // As lego's documentation writes it, with the root's dot (4.9.1 takes it without too).
          RFC2136_TSIG_ALGORITHM: `${key.algorithm}.`,
          RFC2136_PROPAGATION_TIMEOUT: '60',
          RFC2136_POLLING_INTERVAL: '1',
          // The provider solves one challenge at a time and waits this long between them (default 60 s).
          RFC2136_SEQUENCE_INTERVAL: '1',
        },
        cwd: work,
        timeoutMs: 200_000,
      },
    );
    return { ...run, work };
  };

  it.each<[TsigAlgorithm, string]>([
    ['hmac-sha256', 'sha256'],
    ['hmac-sha512', 'sha512'],
  ])('with %s, gets a certificate for a name and its wildcard and leaves no value behind', async (algorithm, label) => {
    const name = `${label}.example.test`;
    const account = await accountFor(label);
    const key = await addAccountKey(server, account.username, algorithm);
    expect(key.fqdn).toBe(account.fulldomain);

    const run = await lego([name, `*.${name}`], key);
    if (run.code !== 0) throw new Error(explain(run));

    const chain = fs.readFileSync(path.join(run.work, 'certificates', `${name}.crt`), 'utf8');
    const [leafPem, intermediatePem] = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    const leaf = new X509Certificate(leafPem ?? '');
    const intermediate = new X509Certificate(intermediatePem ?? '');
    const root = new X509Certificate(await topo.pebble.issuingRoot());
    expect(leaf.verify(intermediate.publicKey)).toBe(true);
    expect(intermediate.verify(root.publicKey)).toBe(true);
    expect(leaf.subjectAltName?.split(', ').sort()).toEqual([`DNS:*.${name}`, `DNS:${name}`]);

    // Both values went in by RFC 2136 under this key (not through the API), and lego's
    // "delete an RR" took each out again: the account's name serves nothing.
    const audit = await auditOf(account);
    const byUpdate = audit.filter((e) => e.actor === 'rfc2136');
    expect(byUpdate.filter((e) => e.action === 'txt.updated')).toHaveLength(2);
    expect(byUpdate.filter((e) => e.action === 'txt.removed')).toHaveLength(2);
    expect(byUpdate.every((e) => JSON.stringify(e.detail).includes(key.name))).toBe(true);
    expect(audit.filter((e) => e.actor === 'api' && e.action.startsWith('txt.'))).toEqual([]);
    await expect(valuesOf(account)).resolves.toEqual([]);
  });

  it('with a wrong secret, fails with "bad authentication" and stores nothing', async () => {
    const account = await accountFor('wrongsecret');
    const key = await addAccountKey(server, account.username, 'hmac-sha256');
    const wrong = crypto.randomBytes(32).toString('base64');

    const run = await lego(['wrongsecret.example.test'], key, wrong);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/rfc2136: failed to insert: .*dns: bad authentication/);
    await expect(valuesOf(account)).resolves.toEqual([]);
    expect((await auditOf(account)).filter((e) => e.action.startsWith('txt.'))).toEqual([]);
  });
});
