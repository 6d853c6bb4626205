/**
 * Issue 11 end to end: knot signs example.test and holds the DS `acmedns dnssec ds` prints for our
 * zone; unbound validates with the parent's key as its only trust anchor (0x20 on), and delv
 * (BIND's validator) checks each answer again. Every kind of answer our zone gives comes back
 * secure (AD, "fully validated"); a wrong DS at the parent makes it bogus (SERVFAIL), which shows
 * the checks can fail; pebble, resolving through that unbound, issues certificates through the
 * signed zone to lego and to the server itself. Runs in order: each test starts from the state
 * the last left.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { register, txtValue, update, type Registration } from './support/api-client';
import { rcodeOf, tcpQuery, txtValues, udpQuery } from './support/dns-client';
import { until } from './support/poll';
import { acmeApi, startServer, type TopologyServer } from './topology/acmedns';
import { CHILD_LABEL, ourDsLines, publishDs } from './topology/signed-delegation';
import { askResolver, secureAnswer, verdictOf } from './topology/validation';
import { NS_NAME, PARENT_ZONE, startTopology, topologySkipReason, ZONE, type Topology } from './topology';

jest.setTimeout(240_000);

const skip = topologySkipReason(['delv', 'keymgr', 'lego']);
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`DNSSEC validation tests skipped: ${skip}`);

/** DNSSEC on; an account may hold more values than a signed UDP answer fits (the TC test). */
const DNSSEC = '[dnssec]\nenabled = true\n[txt]\nkeep = 40\n';
/** The user's name whose `_acme-challenge` is a CNAME (in the signed parent) to an account. */
const USER_NAME = `www.${PARENT_ZONE}`;

suite('our signed zone validates end to end under a signed parent', () => {
  let topo: Topology;
  let server: TopologyServer;
  let ds: string[];
  let account: Registration;

  const log = (): string => `${server?.logText().slice(-4000) ?? ''}\n--- topology ---\n${topo.output().slice(-6000)}`;
  const ours = (): { address: string; port: number } => ({ address: topo.addresses.acmedns, port: 53 });
  const resolver = (): { address: string; port: number } => ({ address: topo.addresses.unbound, port: 53 });

  beforeAll(async () => {
    topo = await startTopology({ dnssec: true });
    server = await startServer(topo, DNSSEC);
    // Before the DS: the parent proves there is none, so our zone is insecure (no AD), not bogus.
    const insecure = await askResolver(resolver(), ZONE, 'SOA');
    expect([insecure.rcode, insecure.ad]).toEqual(['NOERROR', false]);
    ds = await ourDsLines(server.configFile);
    await publishDs(topo, ds, { log });
    account = await register(server.api);
  });
  afterAll(async () => {
    await server?.stop();
    await topo?.stop();
  });

  it('the parent holds exactly the DS `acmedns dnssec ds` printed, signed by the parent', async () => {
    const answer = await secureAnswer(topo, ZONE, 'DS');
    const served = (answer.reply.packet.answers ?? []).filter((a) => a.type === 'DS');
    expect(served).toHaveLength(ds.length);
  });

  it('the apex SOA, NS and DNSKEY validate', async () => {
    for (const type of ['SOA', 'NS', 'DNSKEY'] as const) {
      const answer = await secureAnswer(topo, ZONE, type);
      expect(answer.rcode).toBe('NOERROR');
      expect((answer.reply.packet.answers ?? []).some((a) => a.type === type)).toBe(true);
      expect((answer.reply.packet.answers ?? []).some((a) => a.type === 'RRSIG')).toBe(true);
    }
    // The name server's address (glue at the parent, authoritative data here) validates too.
    expect((await secureAnswer(topo, NS_NAME, 'A')).rcode).toBe('NOERROR');
  });

  it("an account's TXT with one value, then with two", async () => {
    const first = txtValue('dnssec-one');
    expect((await update(server.api, account, first)).status).toBe(200);
    expect(txtValues((await secureAnswer(topo, account.fulldomain, 'TXT')).reply)).toEqual([first]);
    const second = txtValue('dnssec-two');
    expect((await update(server.api, account, second)).status).toBe(200);
    expect(txtValues((await secureAnswer(topo, account.fulldomain, 'TXT')).reply).sort()).toEqual([first, second].sort());
  });

  it("NODATA (an A at the account's name) validates as a negative answer", async () => {
    const answer = await secureAnswer(topo, account.fulldomain, 'A');
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.reply.packet.answers ?? []).toHaveLength(0);
    expect((await verdictOf(topo, account.fulldomain, 'A')).delv.negative).toBe(true);
  });

  it('a name that does not exist: compact denial (NOERROR, NSEC with NXNAME) validates; without DO still NXDOMAIN', async () => {
    const name = `no-such-name.${ZONE}`;
    const answer = await secureAnswer(topo, name, 'TXT');
    // RFC 9824 §3: NOERROR and an empty answer; a resolver may turn it back into NXDOMAIN (§5).
    expect(['NOERROR', 'NXDOMAIN']).toContain(answer.rcode);
    expect(answer.reply.packet.answers ?? []).toHaveLength(0);
    expect((await verdictOf(topo, name, 'TXT')).delv.negative).toBe(true);
    // Straight from our server: the NSEC at the name lists NXNAME (RFC 9824 §2, type 128).
    const direct = await udpQuery(ours(), { name, type: 'TXT', edns: { udpSize: 1232, dnssecOk: true } });
    expect(rcodeOf(direct)).toBe('NOERROR');
    const nsec = (direct.packet.authorities ?? []).find((a) => a.type === 'NSEC');
    expect(nsec?.name.toLowerCase()).toBe(name);
    // dns-packet names a type it does not know by its number.
    expect((nsec?.data as { rrtypes?: string[] } | undefined)?.rrtypes?.sort()).toEqual(['NSEC', 'RRSIG', 'UNKNOWN_128']);
    // Without DO: today's answer, a plain NXDOMAIN with no DNSSEC records (RFC 4035 §3.1).
    const plain = await udpQuery(ours(), { name, type: 'TXT', edns: { udpSize: 1232 } });
    expect(rcodeOf(plain)).toBe('NXDOMAIN');
    expect([...(plain.packet.answers ?? []), ...(plain.packet.authorities ?? [])].map((a) => a.type)).toEqual(['SOA']);
  });

  it("a name reached through the user's CNAME in the signed parent validates", async () => {
    await topo.knot.setCname(`_acme-challenge.${USER_NAME.split('.')[0]}`, account.fulldomain);
    const name = `_acme-challenge.${USER_NAME}`;
    await until('the CNAME at the parent', async () => (await askResolver(resolver(), name, 'TXT')).reply.packet.answers?.some((a) => a.type === 'CNAME') ?? false, { log });
    const answer = await secureAnswer(topo, name, 'TXT');
    const types = (answer.reply.packet.answers ?? []).map((a) => a.type);
    expect(types).toContain('CNAME');
    expect(txtValues(answer.reply)).toHaveLength(2);
  });

  it('a signed answer too large for UDP is truncated (TC) and complete over TCP, and validates', async () => {
    const big = await register(server.api);
    const values = Array.from({ length: 30 }, (_, i) => txtValue(`many-${i}`));
    for (const v of values) expect((await update(server.api, big, v)).status).toBe(200);
    const query = { name: big.fulldomain, type: 'TXT' as const, edns: { udpSize: 1232, dnssecOk: true } };
    const udp = await udpQuery(ours(), query);
    expect(udp.tc).toBe(true);
    const tcp = await tcpQuery(ours(), query);
    expect(tcp.tc).toBe(false);
    expect(txtValues(tcp).sort()).toEqual([...values].sort());
    expect((tcp.packet.answers ?? []).filter((a) => a.type === 'RRSIG')).toHaveLength(1);
    // unbound gets the TC, asks again over TCP and validates the whole RRset.
    expect(txtValues((await secureAnswer(topo, big.fulldomain, 'TXT')).reply).sort()).toEqual([...values].sort());
  });

  it('a wrong DS at the parent makes our answers bogus (SERVFAIL), and the right one makes them secure again', async () => {
    // The same key tag and algorithm, one digest bit changed: a DS that matches no key of ours.
    const wrong = ds.map((line) => line.replace(/([0-9A-Fa-f])$/, (d) => (parseInt(d, 16) ^ 1).toString(16)));
    expect(wrong).not.toEqual(ds);
    await topo.knot.setDs(CHILD_LABEL, wrong);
    await until('unbound to answer SERVFAIL for our TXT', async () => (await askResolver(resolver(), account.fulldomain, 'TXT')).rcode === 'SERVFAIL', { log });
    for (const [name, type] of [[ZONE, 'SOA'], [ZONE, 'DNSKEY'], [account.fulldomain, 'TXT']] as const) {
      const v = await verdictOf(topo, name, type);
      expect([name, type, v.resolver.rcode, v.delv.fullyValidated]).toEqual([name, type, 'SERVFAIL', false]);
    }
    expect(topo.unbound.process.output()).toMatch(/validation failure <auth\.example\.test\. /i);
    await publishDs(topo, ds, { log, afterBogus: true });
    expect(txtValues((await secureAnswer(topo, account.fulldomain, 'TXT')).reply)).toHaveLength(2);
  });

  it('pebble, resolving through the validating unbound, issues a certificate to lego (httpreq) through the signed zone', async () => {
    const name = `shop.${PARENT_ZONE}`;
    const shop = await register(server.api);
    await topo.knot.setCname('_acme-challenge.shop', shop.fulldomain);
    const failuresBefore = (topo.unbound.process.output().match(/validation failure/g) ?? []).length;
    const work = fs.mkdtempSync(path.join(topo.dir, 'lego-'));
    const run = await topo.runClient(
      'lego',
      ['--accept-tos', '--email', 'admin@example.test', '--server', topo.pebble.directoryUrl, '--path', work, '--dns', 'httpreq', '--domains', name, 'run'],
      {
        env: {
          HOME: work,
          LEGO_CA_CERTIFICATES: topo.pebble.httpsCaFile,
          HTTPREQ_ENDPOINT: server.api,
          HTTPREQ_USERNAME: shop.username,
          HTTPREQ_PASSWORD: shop.password,
          HTTPREQ_PROPAGATION_TIMEOUT: '60',
          HTTPREQ_POLLING_INTERVAL: '1',
        },
      },
    );
    if (run.code !== 0) throw new Error(`lego failed (exit ${run.code}):\n${run.stderr.slice(-6000)}\n${log()}`);
    const leaf = new X509Certificate(fs.readFileSync(path.join(work, 'certificates', `${name}.crt`), 'utf8'));
    expect(leaf.subjectAltName).toBe(`DNS:${name}`);
    expect(leaf.issuer).toMatch(/Pebble Intermediate CA/);
    // Every answer pebble's resolver got on the way validated: no failure was logged meanwhile.
    expect((topo.unbound.process.output().match(/validation failure/g) ?? []).length).toBe(failuresBefore);
  });

  it("the server's own certificate (tls = \"acme\") is issued through the signed zone", async () => {
    const dir = server.dir;
    await server.stop();
    const failuresBefore = (topo.unbound.process.output().match(/validation failure/g) ?? []).length;
    // The same store: the same key, so the DS at the parent still matches.
    server = await startServer(topo, DNSSEC, {
      dir,
      api: acmeApi(topo, dir, 'notification_email = "admin@example.test"'),
      acmeTiming: { backoff: { baseMs: 200, maxMs: 2000 }, visibility: { intervalMs: 100, timeoutMs: 5000 } },
    });
    await until('the own certificate', () => server.daemon.certificate?.current() !== undefined, { timeoutMs: 120_000, log });
    const leaf = new X509Certificate(server.daemon.certificate?.current()?.cert ?? '');
    expect(leaf.subjectAltName).toBe(`DNS:${ZONE}`);
    expect((topo.unbound.process.output().match(/validation failure/g) ?? []).length).toBe(failuresBefore);
    expect((await secureAnswer(topo, ZONE, 'DNSKEY')).rcode).toBe('NOERROR');
  });
});
