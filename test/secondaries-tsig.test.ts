/**
 * A real Knot DNS and a real NSD as secondaries with `[transfer] tsig_key` set (issue 10): each
 * holds the same key, its acl / allow-notify admits only NOTIFYs signed with it (refresh is 8 h,
 * so only the NOTIFY makes it transfer at once) and it requests its transfers signed with it. So a
 * new value served by both proves our signed NOTIFY was accepted and our signed IXFR verified.
 * A third secondary, a Knot with the same key name but a wrong secret, never gets the zone.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { register, txtValue, update, type Registration } from './support/api-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { rcodeOf, txtValues, udpQuery, type Target } from './support/dns-client';
import { until } from './support/poll';
import { freeDnsPort } from './support/ports';
import { scrape, valueOf } from './support/prometheus';
import { startKnotSecondary, startNsdSecondary, type Secondary, type TransferKey } from './topology/secondaries';

const ZONE = 'auth.example.org';
const missing = ['knotd', 'nsd'].filter((bin) => {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
});
const describeWith = missing.length === 0 ? describe : describe.skip;
if (missing.length > 0) console.warn(`secondaries-tsig: skipped, missing ${missing.join(', ')} (Debian knot, nsd)`);

const served = async (t: Target, name: string): Promise<string[]> => txtValues(await udpQuery(t, { name, type: 'TXT' }));
const transfers = async (d: TestDaemon, result: string): Promise<number> => {
  const s = await scrape(`${d.api}/metrics`);
  return (valueOf(s, 'acmedns_dns_transfers_total', { kind: 'ixfr', result }) ?? 0) + (valueOf(s, 'acmedns_dns_transfers_total', { kind: 'axfr', result }) ?? 0);
};

describeWith('Knot and NSD as secondaries with the transfer TSIG key', () => {
  const key: TransferKey = { name: 'transfer.example.org', algorithm: 'hmac-sha256', secret: randomBytes(32).toString('base64') };
  // Same name and algorithm, another secret: what a typo in the secondary's config looks like.
  const wrongKey: TransferKey = { ...key, secret: randomBytes(32).toString('base64') };
  let dir: string;
  let d: TestDaemon;
  let secondaries: Secondary[] = [];
  let wrong: Secondary | undefined;
  let account: Registration;
  const log = (): string =>
    `${d.logText().slice(-3000)}\n${[...secondaries, ...(wrong ? [wrong] : [])].map((s) => s.process.output().slice(-3000)).join('\n')}`;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-secondaries-tsig-'));
    const ports = { knot: await freeDnsPort(), nsd: await freeDnsPort(), wrong: await freeDnsPort() };
    d = await startTestDaemon({
      extra: [
        '[transfer]',
        `secondaries = ["127.0.0.1:${ports.knot}", "127.0.0.1:${ports.nsd}", "127.0.0.1:${ports.wrong}"]`,
        'notify_retry = 1',
        `tsig_key = "${key.name}"`,
        `tsig_algorithm = "${key.algorithm}"`,
        `tsig_secret = "${key.secret}"`,
        '',
      ].join('\n'),
    });
    secondaries.push(await startKnotSecondary({ dir, zone: ZONE, port: ports.knot, primary: d.tcp, key }));
    secondaries.push(await startNsdSecondary({ dir, zone: ZONE, port: ports.nsd, primary: d.tcp, key }));
    // Its own directory: the helper names the Knot one `knot-secondary` inside `dir`.
    const wrongDir = path.join(dir, 'wrong');
    fs.mkdirSync(wrongDir);
    wrong = await startKnotSecondary({ dir: wrongDir, zone: ZONE, port: ports.wrong, primary: d.tcp, key: wrongKey, awaitZone: false });
    const started = wrong;
    // Listening (it answers, SERVFAIL: no zone) before the test looks at what it serves.
    await until('the wrong-key Knot to answer', async () => udpQuery(started.target, { name: ZONE, type: 'SOA' }).then(() => true, () => false), { log });
    account = await register(d.api);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([...secondaries, ...(wrong ? [wrong] : [])].map((s) => s.stop()));
    await d?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the first transfer was signed: each secondary with the key serves the zone, and nobody transferred unsigned', async () => {
    for (const s of secondaries) expect([s.name, rcodeOf(await udpQuery(s.target, { name: ZONE, type: 'SOA' }))]).toEqual([s.name, 'NOERROR']);
    // An unsigned request would be REFUSED (README): none came, so the keyed secondaries signed theirs.
    expect(await transfers(d, 'refused')).toBe(0);
    expect(await transfers(d, 'full')).toBeGreaterThanOrEqual(secondaries.length);
  });

  test('an HTTP /update reaches each secondary: signed NOTIFY accepted, signed IXFR verified', async () => {
    const before = await transfers(d, 'incremental');
    const value = txtValue('secondary-tsig');
    expect((await update(d.api, account, value)).status).toBe(200);
    for (const s of secondaries) await until(`${s.name} to serve the new value`, async () => (await served(s.target, account.fulldomain)).includes(value), { log });
    expect(await transfers(d, 'incremental')).toBeGreaterThanOrEqual(before + secondaries.length);
    const notify = await scrape(`${d.api}/metrics`);
    expect(valueOf(notify, 'acmedns_dns_notify_total', { result: 'acknowledged' }) ?? 0).toBeGreaterThanOrEqual(secondaries.length);
  });

  test('a Knot with a wrong secret never gets the zone, nor the new value, and says why', async () => {
    const target = wrong?.target;
    if (!wrong || !target) throw new Error('no wrong-key secondary');
    const value = txtValue('secondary-tsig-wrong');
    expect((await update(d.api, account, value)).status).toBe(200);
    for (const s of secondaries) await until(`${s.name} to serve the value`, async () => (await served(s.target, account.fulldomain)).includes(value), { log });
    // A few seconds more than the keyed ones needed: the NOTIFY (sent again every 1 s and more) had its chance.
    await sleep(3000);
    expect(rcodeOf(await udpQuery(target, { name: ZONE, type: 'SOA' }))).not.toBe('NOERROR');
    expect(await served(target, account.fulldomain)).not.toContain(value);
    // Its refresh (a SOA query signed with its secret) got our unsigned NOTAUTH back (RFC 8945 §5.2).
    expect(wrong.process.output()).toMatch(/refresh, remote primary, address \S+, failed \(failed to verify TSIG\)/);
  });
});
