/**
 * A real Knot DNS and a real NSD as secondaries of our zone (issue 10): after an HTTP /update
 * (and lego httpreq's /cleanup, and an RFC 2136 update) each serves the new value, told by NOTIFY and fetched by IXFR;
 * with 10,000 accounts the AXFR completes and the secondaries serve them all, and one change
 * afterwards travels as an IXFR of that one change.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { register, send, txtValue, update, type Registration } from './support/api-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { txtValues, udpQuery, type Target } from './support/dns-client';
import { until } from './support/poll';
import { dig, digRecords } from './support/dig';
import { freeDnsPort } from './support/ports';
import { addKey, nsupdate, openDaemonStore } from './support/rfc2136';
import { scrape, valueOf } from './support/prometheus';
import { startKnotSecondary, startNsdSecondary, type Secondary } from './topology/secondaries';
import { openStore } from '../src/store';
import { parseConfig } from '../src/config';
import { testConfigToml } from './support/daemon';

const ZONE = 'auth.example.org';
const missing = ['knotd', 'nsd', 'kdig'].filter((bin) => {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
});
const describeWith = missing.length === 0 ? describe : describe.skip;
if (missing.length > 0) console.warn(`secondaries: skipped, missing ${missing.join(', ')} (Debian knot, nsd, knot-dnsutils)`);

const soaOf = (reply: Awaited<ReturnType<typeof udpQuery>>): number => {
  const soa = reply.packet.answers?.find((a) => a.type === 'SOA');
  if (soa?.type !== 'SOA' || soa.data.serial === undefined) throw new Error('no SOA');
  return soa.data.serial;
};
const served = async (t: Target, name: string): Promise<string[]> => txtValues(await udpQuery(t, { name, type: 'TXT' }));
const incrementalTransfers = async (d: TestDaemon): Promise<number> =>
  valueOf(await scrape(`${d.api}/metrics`), 'acmedns_dns_transfers_total', { kind: 'ixfr', result: 'incremental' }) ?? 0;
const fullTransfers = async (d: TestDaemon): Promise<number> => {
  const s = await scrape(`${d.api}/metrics`);
  return (valueOf(s, 'acmedns_dns_transfers_total', { kind: 'ixfr', result: 'full' }) ?? 0) + (valueOf(s, 'acmedns_dns_transfers_total', { kind: 'axfr', result: 'full' }) ?? 0);
};

/** Our daemon with both secondaries named, then the secondaries started against it. */
async function startAll(dir: string, sqliteFile?: string): Promise<{ d: TestDaemon; secondaries: Secondary[] }> {
  const ports = { knot: await freeDnsPort(), nsd: await freeDnsPort() };
  const d = await startTestDaemon({
    extra: `[transfer]\nsecondaries = ["127.0.0.1:${ports.knot}", "127.0.0.1:${ports.nsd}"]\nnotify_retry = 1\n`,
    ...(sqliteFile ? { sqliteFile } : {}),
  });
  const secondaries: Secondary[] = [];
  try {
    secondaries.push(await startKnotSecondary({ dir, zone: ZONE, port: ports.knot, primary: d.tcp }));
    secondaries.push(await startNsdSecondary({ dir, zone: ZONE, port: ports.nsd, primary: d.tcp }));
  } catch (err) {
    await Promise.all(secondaries.map((s) => s.stop()));
    await d.stop();
    throw err;
  }
  return { d, secondaries };
}

describeWith('Knot and NSD as secondaries', () => {
  let dir: string;
  let d: TestDaemon;
  let secondaries: Secondary[];
  let account: Registration;
  const log = (): string => `${d.logText().slice(-3000)}\n${secondaries.map((s) => s.process.output().slice(-3000)).join('\n')}`;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-secondaries-'));
    ({ d, secondaries } = await startAll(dir));
    account = await register(d.api);
  }, 60_000);
  afterAll(async () => {
    await Promise.all((secondaries ?? []).map((s) => s.stop()));
    await d?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an HTTP /update is served by each secondary, fetched by IXFR after the NOTIFY', async () => {
    const before = await incrementalTransfers(d);
    const fullBefore = await fullTransfers(d);
    const value = txtValue('secondary-http');
    expect((await update(d.api, account, value)).status).toBe(200);
    for (const s of secondaries) {
      await until(`${s.name} to serve the new value`, async () => (await served(s.target, account.fulldomain)).includes(value), { log });
    }
    // One incremental transfer per secondary (at least: a retried NOTIFY may cost one more), no full one.
    expect(await incrementalTransfers(d)).toBeGreaterThanOrEqual(before + secondaries.length);
    expect(await fullTransfers(d)).toBe(fullBefore);
  });

  test('an RFC 2136 update (nsupdate -y) is served by each secondary, fetched by IXFR; its delete leaves them', async () => {
    const store = await openDaemonStore(d.dbFile);
    const key = await addKey(store, account.username).finally(() => store.close());
    const before = await incrementalTransfers(d);
    const value = 'rfc2136-to-secondaries';
    expect((await nsupdate({ server: d.dns, key, commands: [`update add ${account.fulldomain} 60 TXT "${value}"`] })).code).toBe(0);
    for (const s of secondaries) await until(`${s.name} to serve the RFC 2136 value`, async () => (await served(s.target, account.fulldomain)).includes(value), { log });
    expect(await incrementalTransfers(d)).toBeGreaterThanOrEqual(before + secondaries.length);
    expect((await nsupdate({ server: d.dns, key, commands: [`update delete ${account.fulldomain} TXT "${value}"`] })).code).toBe(0);
    for (const s of secondaries) await until(`${s.name} to drop the RFC 2136 value`, async () => !(await served(s.target, account.fulldomain)).includes(value), { log });
  });

  test('a value removed (lego httpreq /cleanup) leaves each secondary', async () => {
    const value = txtValue('secondary-removed');
    expect((await update(d.api, account, value)).status).toBe(200);
    for (const s of secondaries) await until(`${s.name} to serve the value`, async () => (await served(s.target, account.fulldomain)).includes(value), { log });
    const basic = `Basic ${Buffer.from(`${account.username}:${account.password}`).toString('base64')}`;
    const res = await send(d.api, { method: 'POST', path: '/cleanup', headers: { Authorization: basic, 'Content-Type': 'application/json' }, body: JSON.stringify({ fqdn: account.fulldomain, value }) });
    expect(res.status).toBe(200);
    for (const s of secondaries) await until(`${s.name} to drop the value`, async () => !(await served(s.target, account.fulldomain)).includes(value), { log });
  });
});

describeWith('10,000 accounts', () => {
  const COUNT = 10_000;
  let dir: string;
  let d: TestDaemon;
  let secondaries: Secondary[];
  const subdomains: string[] = [];
  const log = (): string => `${d.logText().slice(-3000)}\n${secondaries.map((s) => s.process.output().slice(-3000)).join('\n')}`;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-secondaries-big-'));
    const sqliteFile = path.join(dir, 'acmedns.db');
    // Filled before start through the store's bulk import (a shared dummy hash: nobody logs in).
    const config = parseConfig(testConfigToml(dir, '', { sqliteFile }), {}, 'test');
    const store = await openStore(config.database, config.txt, config.dns.domain);
    const hash = '$2a$10$' + 'a'.repeat(53);
    const entries = Array.from({ length: COUNT }, (_, i) => {
      const subdomain = randomUUID();
      subdomains.push(subdomain);
      return { account: { username: randomUUID(), passwordHash: hash, subdomain, allowFrom: [] }, values: [{ value: txtValue(`big-${i}`), updatedAt: Math.floor(Date.now() / 1000) }] };
    });
    await store.importAccounts(entries);
    await store.close();
    ({ d, secondaries } = await startAll(dir, sqliteFile));
  }, 120_000);
  afterAll(async () => {
    await Promise.all((secondaries ?? []).map((s) => s.stop()));
    await d?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the whole zone arrived (AXFR) at each secondary: a sample of the names is served', async () => {
    expect(await fullTransfers(d)).toBeGreaterThanOrEqual(secondaries.length);
    const sample = [0, 1, 4999, 9998, 9999, ...Array.from({ length: 20 }, () => Math.floor(Math.random() * COUNT))];
    for (const s of secondaries) {
      for (const i of sample) expect([s.name, i, await served(s.target, `${subdomains[i]}.${ZONE}`)]).toEqual([s.name, i, [txtValue(`big-${i}`)]]);
    }
  });

  test('one change afterwards travels as an IXFR of that change, not the zone', async () => {
    const account = await register(d.api);
    const fullBefore = await fullTransfers(d);
    const before = await incrementalTransfers(d);
    const value = txtValue('big-after');
    const serialBefore = soaOf(await udpQuery(d.dns, { name: ZONE, type: 'SOA' }));
    expect((await update(d.api, account, value)).status).toBe(200);
    // What an IXFR from the serial before holds: that one value between the SOAs (dig from 127.0.0.1, a listed secondary address).
    const ixfr = digRecords((await dig('dig', d.tcp, ['+tcp', ZONE, `IXFR=${serialBefore}`])).stdout);
    expect(ixfr.map((r) => r.type)).toEqual(['SOA', 'SOA', 'SOA', 'TXT', 'SOA']);
    for (const s of secondaries) await until(`${s.name} to serve the new value`, async () => (await served(s.target, account.fulldomain)).includes(value), { log });
    expect(await incrementalTransfers(d)).toBeGreaterThanOrEqual(before + secondaries.length);
    expect(await fullTransfers(d)).toBe(fullBefore);
  });
});
