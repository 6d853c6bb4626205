/**
 * `general.workers = 2`, the built server as an operator runs it (`node dist/main.js serve`):
 * the workers answer byte for byte as one process on the same store (every record type served,
 * 0x20, EDNS with and without DO, pipelined TCP); /metrics sums what every worker counted; an
 * UPDATE through a worker is applied, audited and limited by the primary; a worker killed with
 * SIGKILL is replaced while queries keep being answered; SIGTERM stops every worker, exit 0.
 * One server start for the file: the tests run in order on it.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { register, txtValue, update, type Registration } from './support/api-client';
import { buildQuery, frame, sendUdp, TcpClient, txtValues, udpQuery, type QuerySpec, type Target } from './support/dns-client';
import { startTestDaemon, testConfigToml, type TestDaemon } from './support/daemon';
import { until } from './support/poll';
import { scrape, samplesOf, valueOf } from './support/prometheus';
import { addKey, nsupdate, openDaemonStore, type ClientRun } from './support/rfc2136';
import { runCli, startServerProcess, type ServerProcess } from './support/server-process';
import { parseConfig } from '../src/config';
import { startDaemon } from '../src/daemon';
import { silentLogger } from '../src/log';
import * as stores from '../src/store';
import type { Store } from '../src/store/types';

/** A log line of the server (JSON), with the fields the tests read. */
interface Line {
  readonly msg?: string;
  readonly pid?: number;
  readonly worker?: number;
  readonly code?: number | null;
  readonly signal?: string | null;
  readonly queries?: number;
}

const EXTRA = '[ratelimit]\nauth_failures = 3\n';

describe('general.workers = 2', () => {
  let dir: string;
  let server: ServerProcess;
  let single: TestDaemon;
  let store: Store;
  let account: Registration;
  /** Every DNS message sent to the two-worker server (each is answered and counted once). */
  let sent = 0;

  const lines = (): Line[] =>
    server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Line);
  const pidsOf = (msg: string): number[] => lines().filter((l) => l.msg === msg && typeof l.pid === 'number').map((l) => l.pid as number);
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  /** One UDP datagram to the two-worker server, its reply (undefined: none within a second). */
  const toWorkers = (msg: Buffer, timeoutMs = 2000): Promise<Buffer | undefined> => {
    sent += 1;
    return sendUdp(server.dns, msg, timeoutMs);
  };
  /** `specs` pipelined on one TCP connection; the replies ordered by ID. */
  const pipelined = async (target: Target, specs: readonly QuerySpec[]): Promise<string[]> => {
    const client = new TcpClient(target);
    client.write(Buffer.concat(specs.map((s) => frame(buildQuery(s)))));
    const replies = await client.waitFor(specs.length);
    client.destroy();
    return [...replies].sort((a, b) => a.readUInt16BE(0) - b.readUInt16BE(0)).map((r) => r.toString('hex'));
  };
  /** One query on a new TCP connection each: the cluster hands connections to the workers in turn. */
  const tcpRound = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      sent += 1;
      expect(await pipelined(server.tcp, [{ id: i, name: 'auth.example.org', type: 'SOA' }])).toHaveLength(1);
    }
  };
  const ok = (run: ClientRun): void => expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-workers-'));
    const file = path.join(dir, 'config.toml');
    fs.writeFileSync(file, testConfigToml(dir, EXTRA, { workers: 2 }));
    server = await startServerProcess(file, 60_000);
    // One process (in this one) on the same store: the reference for the bytes.
    single = await startTestDaemon({ extra: EXTRA, sqliteFile: path.join(dir, 'acmedns.db') });
    store = await openDaemonStore(path.join(dir, 'acmedns.db'));
    account = await register(server.api);
    expect((await update(server.api, account, txtValue('workers'))).status).toBe(200);
  }, 90_000);
  afterAll(async () => {
    if (server !== undefined && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      for (const pid of pidsOf('DNS worker listening')) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    await store?.close();
    await single?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('two workers listen on the one address the primary reports', () => {
    const pids = pidsOf('DNS worker listening');
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(server.child.pid);
  });

  test('every answer is byte for byte what one process answers from the same store', async () => {
    const mixed = account.fulldomain.replace(/[a-z]/g, (c, i: number) => (i % 2 === 0 ? c.toUpperCase() : c));
    const specs: QuerySpec[] = [
      { id: 1, name: account.fulldomain, type: 'TXT' },
      { id: 2, name: mixed, type: 'TXT' },
      { id: 3, name: 'auth.example.org', type: 'SOA' },
      { id: 4, name: 'auth.example.org', type: 'NS' },
      { id: 5, name: 'Auth.Example.ORG', type: 'A' },
      { id: 6, name: 'ns1.auth.example.org', type: 'A' },
      { id: 7, name: 'nothing-here.auth.example.org', type: 'TXT' },
      { id: 8, name: 'auth.example.org', type: 'AAAA' },
      { id: 9, name: account.fulldomain, type: 'A' },
      { id: 10, name: 'example.com', type: 'A' },
      { id: 11, name: account.fulldomain, type: 'TXT', edns: { udpSize: 1232 } },
      { id: 12, name: 'nothing-here.auth.example.org', type: 'A', edns: { udpSize: 1232, dnssecOk: true } },
      { id: 13, name: 'auth.example.org', type: 'SOA', edns: { udpSize: 4096, dnssecOk: true } },
      { id: 14, name: `_acme-challenge.${mixed}`, type: 'TXT' },
    ];
    expect(txtValues(await udpQuery(single.dns, specs[0] as QuerySpec))).toEqual([txtValue('workers')]);
    for (const spec of specs) {
      const q = buildQuery(spec);
      const reference = await sendUdp(single.dns, q);
      expect([spec.name, spec.type, (await toWorkers(q))?.toString('hex')]).toEqual([spec.name, spec.type, reference?.toString('hex')]);
    }
    // Several queries pipelined on one connection, twice (the two connections go to both workers).
    for (let round = 0; round < 2; round++) {
      sent += specs.length;
      expect(await pipelined(server.tcp, specs)).toEqual(await pipelined(single.tcp, specs));
    }
  });

  test('/metrics sums every worker: acmedns_dns_queries_total equals the queries sent', async () => {
    await tcpRound(6);
    const batch = Array.from({ length: 60 }, (_, i) => buildQuery({ id: i, name: i % 3 === 0 ? account.fulldomain : `n${i}.auth.example.org`, type: 'TXT' }));
    await Promise.all(batch.map((q) => toWorkers(q)));
    const metrics = await scrape(`${server.api}/metrics`);
    const total = samplesOf(metrics, 'acmedns_dns_queries_total').reduce((sum, s) => sum + s.value, 0);
    expect(total).toBe(sent);
    // Summed series stay one series each; the primary's start time, not a sum of start times.
    expect(samplesOf(metrics, 'process_start_time_seconds')).toHaveLength(1);
    expect(valueOf(metrics, 'process_start_time_seconds')).toBeLessThan(Date.now() / 1000);
  });

  test('an RFC 2136 UPDATE through a worker is applied, audited and limited by the primary', async () => {
    const key = await addKey(store, account.username);
    ok(await nsupdate({ server: server.dns, key, local: '127.0.0.2', commands: [`update add ${account.fulldomain} 60 TXT "via-worker"`] }));
    ok(await nsupdate({ server: server.tcp, tcp: true, key, commands: [`update delete ${account.fulldomain} TXT "via-worker"`] }));
    ok(await nsupdate({ server: server.tcp, tcp: true, key, commands: [`update add ${account.fulldomain} 60 TXT "kept"`] }));
    expect(txtValues(await udpQuery(server.dns, { name: account.fulldomain, type: 'TXT' })).sort()).toEqual(['kept', txtValue('workers')].sort());
    sent += 1;
    const audit = (await store.listAudit({ username: account.username, limit: 100 })).filter((e) => e.actor === 'rfc2136');
    expect(audit.map((e) => [e.action, e.client])).toEqual([
      ['txt.updated', '127.0.0.2'],
      ['txt.removed', '127.0.0.1'],
      ['txt.updated', '127.0.0.1'],
    ]);
    // Three bad signatures over TCP (connections go to the workers in turn) lock the key out from
    // that address: the failures are counted in one place, the primary.
    const wrong = { ...key, secret: Buffer.alloc(32, 2).toString('base64') };
    for (let i = 0; i < 3; i++) {
      const run = await nsupdate({ server: server.tcp, tcp: true, key: wrong, local: '127.0.0.3', commands: [`update add ${account.fulldomain} 60 TXT "x"`] });
      expect(`${run.stdout}${run.stderr}`).toContain('BADSIG');
    }
    const locked = await nsupdate({ server: server.tcp, tcp: true, key, local: '127.0.0.3', commands: [`update add ${account.fulldomain} 60 TXT "locked"`] });
    expect(locked.code).not.toBe(0);
    expect(txtValues(await udpQuery(single.dns, { name: account.fulldomain, type: 'TXT' }))).not.toContain('locked');
    const updates = samplesOf(await scrape(`${server.api}/metrics`), 'acmedns_dns_updates_total').reduce((sum, s) => sum + s.value, 0);
    expect(updates).toBe(7);
  });

  test('a worker killed with SIGKILL is replaced; queries are answered during and after', async () => {
    const [victim, survivor] = pidsOf('DNS worker listening') as [number, number];
    process.kill(victim, 'SIGKILL');
    let unanswered = 0;
    let answered = 0;
    const soa = buildQuery({ id: 77, name: 'auth.example.org', type: 'SOA' });
    const replaced = (): boolean => pidsOf('DNS worker listening').length >= 3;
    while (!replaced() || answered < 20) {
      // A datagram the dying worker had read is lost with it: the client asks again, as resolvers do.
      let reply: Buffer | undefined;
      for (let attempt = 0; attempt < 3 && reply === undefined; attempt++) reply = await toWorkers(soa, 1000);
      if (reply === undefined) unanswered += 1;
      else answered += 1;
    }
    expect(unanswered).toBe(0);
    const died = lines().find((l) => l.msg === 'DNS worker died');
    expect(died).toMatchObject({ pid: victim, signal: 'SIGKILL' });
    const fresh = pidsOf('DNS worker listening')[2] as number;
    expect([victim, survivor]).not.toContain(fresh);
    // Both workers now serve: TCP connections go to each in turn.
    await tcpRound(4);
    expect(txtValues(await udpQuery(server.dns, { name: account.fulldomain, type: 'TXT' }))).toContain(txtValue('workers'));
  });

  test('workers ignore signals of their own: a process-group signal ends in the orderly stop', async () => {
    const live = pidsOf('DNS worker listening').slice(1);
    for (const pid of live) for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.kill(pid, signal);
    await tcpRound(4);
    expect(lines().filter((l) => l.msg === 'DNS worker died')).toHaveLength(1);
    // Still the same two: the stop lines below name exactly these pids.
    expect(pidsOf('DNS worker listening').slice(1)).toEqual(live);
  });

  test('SIGTERM stops every worker, then the primary, exit 0', async () => {
    const everyPid = pidsOf('DNS worker listening');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const stopped = lines().filter((l) => l.msg === 'DNS worker stopped');
    // The two live workers each stopped in order and had answered queries (the cluster shared the traffic).
    expect(stopped.map((l) => l.pid).sort()).toEqual(everyPid.slice(1).sort());
    for (const l of stopped) expect(l.queries).toBeGreaterThan(0);
    await until('every worker is gone', () => everyPid.every((pid) => !alive(pid)));
    expect(lines().at(-1)?.msg).toBe('acmedns stopped');
  });
});

describe('general.workers = 2 that cannot run', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-workers-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a worker that cannot bind fails the start with the reason, exit 1, nothing left running', async () => {
    const taken = dgram.createSocket('udp4');
    await new Promise<void>((bound) => taken.bind(0, '127.0.0.1', () => bound()));
    try {
      const file = path.join(dir, 'busy.toml');
      fs.writeFileSync(file, testConfigToml(dir, '', { workers: 2 }).replace('listen = "127.0.0.1:0"', `listen = "127.0.0.1:${taken.address().port}"`));
      // The primary would not exit while a worker it forked were still connected.
      const run = await runCli(['serve', '-c', file]);
      expect(run.code).toBe(1);
      expect(`${run.stdout}${run.stderr}`).toContain(`cannot start: address already in use: 127.0.0.1:${taken.address().port} (udp)`);
    } finally {
      taken.close();
    }
  });

  test('in process (ts-jest) it says what to do instead of forking a .ts entry', async () => {
    const config = parseConfig(testConfigToml(dir, '', { workers: 2 }), {}, 'test.toml');
    await expect(startDaemon(config, { logger: silentLogger() })).rejects.toThrow('general.workers = 2 needs the config file the workers read (acmedns serve -c FILE); embedded, set workers = 1');
    const source = { file: 'test.toml', text: testConfigToml(dir, '', { workers: 2 }), env: {} };
    await expect(startDaemon(config, { logger: silentLogger(), configSource: source })).rejects.toThrow(/needs the built DNS worker .*dns-worker\.js: run "npm run build", or set workers = 1/);
  });

  test('the primary opens its store as a process that answers no DNS: no index of every account', async () => {
    const opened = jest.spyOn(stores, 'openStore');
    try {
      const text = testConfigToml(dir, '', { workers: 2 });
      const config = parseConfig(text, {}, 'test.toml');
      // The store is opened before the fork (which fails in process, as above).
      await expect(startDaemon(config, { logger: silentLogger(), configSource: { file: 'test.toml', text, env: {} } })).rejects.toThrow(/needs the built DNS worker/);
      expect(opened).toHaveBeenCalledTimes(1);
      expect(opened.mock.calls[0]?.[4]).toEqual({ servesDns: false });
    } finally {
      opened.mockRestore();
    }
  });
});
