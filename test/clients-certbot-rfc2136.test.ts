/**
 * certbot's rfc2136 plugin (Debian's python3-certbot-dns-rfc2136) against our server. The plugin
 * writes the TXT at `_acme-challenge.<certificate name>` and finds its zone by TSIG-signed SOA
 * queries (RD off, TCP then UDP) for that name and each parent, sent to the configured server
 * itself; it never follows a CNAME. Our server is authoritative only for its own zone, whose only
 * writable names are accounts' `<uuid>.<zone>`, which no `_acme-challenge.<name>` can be: so
 * certbot with this plugin cannot use an account (the README says so and names the clients that
 * can). Checked here: the real certbot fails at its zone search and changes nothing; the plugin's
 * own client (its code, run with the account's name, which certbot itself never passes) gets signed
 * authoritative SOA answers from us, finds our zone, and adds and deletes a value with HMAC-MD5
 * (its default) and another algorithm.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { register, type Registration } from './support/api-client';
import { txtValues, udpQuery } from './support/dns-client';
import { startServer, type TopologyServer } from './topology/acmedns';
import { startTopology, topologySkipReason, ZONE, type ClientRun, type Topology } from './topology';
import { addAccountKey, type AccountKey } from './topology/tsig-key';
import type { TsigAlgorithm } from '../src/store/zone-types';

jest.setTimeout(240_000);

/** Debian's python, which certbot runs on: a python3 earlier on PATH (pyenv's) lacks Debian's modules. */
const PYTHON = '/usr/bin/python3';
const PLUGIN = '/usr/lib/python3/dist-packages/certbot_dns_rfc2136';
const skip = topologySkipReason(['certbot', PYTHON]) ?? (fs.existsSync(PLUGIN) ? undefined : 'python3-certbot-dns-rfc2136 is not installed');
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`certbot rfc2136 client tests skipped: ${skip}`);

const DRIVER = path.resolve(__dirname, 'fixtures', 'certbot-rfc2136-client.py');

/** One reply to the plugin's SOA query, as the driver reports it. */
interface SoaReply {
  readonly rcode: string;
  readonly aa: boolean;
  readonly soa: boolean;
  readonly signed: boolean;
}

suite('certbot --dns-rfc2136 against our server', () => {
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
    `exit ${run.code}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr.slice(-6000)}\n--- acmedns ---\n${server.logText().slice(-4000)}`;

  /** Runs one action of the plugin's client with the credentials an ini would hold (`algorithm` absent: its default). */
  const plugin = async (key: Pick<AccountKey, 'name' | 'secret'>, algorithm: string | undefined, action: Record<string, string>): Promise<Record<string, unknown>> => {
    const args = { server: topo.addresses.acmedns, port: '53', name: key.name, secret: key.secret, ...(algorithm ? { algorithm } : {}), ...action };
    const run = await topo.runClient(PYTHON, [DRIVER, JSON.stringify(args)]);
    if (run.code !== 0) throw new Error(`plugin driver failed:\n${explain(run)}`);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  };

  /** What our server serves at `name` now. */
  const served = async (name: string): Promise<string[]> => txtValues(await udpQuery({ address: topo.addresses.acmedns, port: 53 }, { name, type: 'TXT' }));

  /** The values the account holds, as the API shows them. */
  const valuesOf = async (account: Registration): Promise<string[]> => {
    const res = await fetch(`${server.api}/account`, { headers: { 'X-Api-User': account.username, 'X-Api-Key': account.password } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { txt: string[] }).txt;
  };

  it.each<[string, string | undefined, TsigAlgorithm]>([
    ['no algorithm (the plugin default, HMAC-MD5)', undefined, 'hmac-md5'],
    ['HMAC-SHA512', 'HMAC-SHA512', 'hmac-sha512'],
  ])('with %s: signed authoritative SOA answers, our zone found for the account name, a value added and deleted', async (_label, algorithm, keyAlgorithm) => {
    const account = await register(server.api);
    const key = await addAccountKey(server, account.username, keyAlgorithm);

    // The plugin's exact query: at the apex a signed NOERROR with the SOA and AA, over TCP and UDP.
    const apex: SoaReply = { rcode: 'NOERROR', aa: true, soa: true, signed: true };
    await expect(plugin(key, algorithm, { action: 'soa', record: ZONE })).resolves.toEqual({ tcp: apex, udp: apex });
    // At the account's name NODATA (the SOA in authority, not the answer): the search goes up one.
    const nodata: SoaReply = { ...apex, soa: false };
    await expect(plugin(key, algorithm, { action: 'soa', record: account.fulldomain })).resolves.toEqual({ tcp: nodata, udp: nodata });
    await expect(plugin(key, algorithm, { action: 'zone', record: account.fulldomain })).resolves.toEqual({ zone: ZONE });

    const value = crypto.randomBytes(32).toString('base64url');
    await expect(plugin(key, algorithm, { action: 'add', record: account.fulldomain, value })).resolves.toEqual({ ok: true });
    await expect(served(account.fulldomain)).resolves.toEqual([value]);
    await expect(valuesOf(account)).resolves.toEqual([value]);
    await expect(plugin(key, algorithm, { action: 'del', record: account.fulldomain, value })).resolves.toEqual({ ok: true });
    await expect(served(account.fulldomain)).resolves.toEqual([]);
    await expect(valuesOf(account)).resolves.toEqual([]);
  });

  it('cannot follow the user CNAME: no zone for _acme-challenge.<name> on our server, so certbot fails and nothing is stored', async () => {
    const name = 'cnamed.example.test';
    const account = await register(server.api);
    await topo.knot.setCname('_acme-challenge.cnamed', account.fulldomain);
    const key = await addAccountKey(server, account.username, 'hmac-md5');

    // Every guess of the zone search is outside our zone: refused, none is a zone. (Whether the
    // refusal is signed is left open: knot does not sign it either. A bad signature would throw.)
    const refused = { rcode: 'REFUSED', aa: false, soa: false };
    await expect(plugin(key, undefined, { action: 'soa', record: `_acme-challenge.${name}` })).resolves.toEqual({
      tcp: expect.objectContaining(refused) as unknown,
      udp: expect.objectContaining(refused) as unknown,
    });
    const guesses = `['_acme-challenge.${name}', '${name}', 'example.test', 'test']`;
    const noZone = `Unable to determine base domain for _acme-challenge.${name} using names: ${guesses}.`;
    await expect(plugin(key, undefined, { action: 'zone', record: `_acme-challenge.${name}` })).resolves.toEqual({ error: noZone });

    // The real certbot, as a user would run it with the credentials of that key (HMAC-MD5, the
    // default when the ini names no algorithm), stops there.
    const work = fs.mkdtempSync(path.join(topo.dir, 'certbot-rfc2136-'));
    const ini = path.join(work, 'rfc2136.ini');
    fs.writeFileSync(
      ini,
      [`dns_rfc2136_server = ${topo.addresses.acmedns}`, 'dns_rfc2136_port = 53', `dns_rfc2136_name = ${key.name}`, `dns_rfc2136_secret = ${key.secret}`, ''].join('\n'),
      { mode: 0o600 },
    );
    const run = await topo.runClient(
      'certbot',
      [
        'certonly', '--non-interactive', '--agree-tos', '--register-unsafely-without-email',
        '--server', topo.pebble.directoryUrl,
        '--config-dir', path.join(work, 'config'), '--work-dir', path.join(work, 'work'), '--logs-dir', path.join(work, 'logs'),
        '--authenticator', 'dns-rfc2136', '--dns-rfc2136-credentials', ini, '--dns-rfc2136-propagation-seconds', '1',
        '--cert-name', 'cnamed', '-d', name, '-d', `*.${name}`,
      ],
      { env: { REQUESTS_CA_BUNDLE: topo.pebble.httpsCaFile, HOME: work } },
    );
    expect(run.code).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain(noZone);
    expect(fs.existsSync(path.join(work, 'config', 'live', 'cnamed'))).toBe(false);
    await expect(valuesOf(account)).resolves.toEqual([]);
  });

  it('with a wrong secret the zone search fails at our zone and no value is stored', async () => {
    const account = await register(server.api);
    const key = await addAccountKey(server, account.username, 'hmac-md5');
    const wrong = { name: key.name, secret: crypto.randomBytes(32).toString('base64') };
    const value = crypto.randomBytes(32).toString('base64url');

    const added = await plugin(wrong, undefined, { action: 'add', record: account.fulldomain, value });
    expect(added).toEqual({ error: expect.stringMatching(/^Encountered error when making query: /) as unknown });
    await expect(served(account.fulldomain)).resolves.toEqual([]);
    await expect(valuesOf(account)).resolves.toEqual([]);
  });
});
