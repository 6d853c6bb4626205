/**
 * `acmedns dnssec ds|status|rollover` as an operator runs them: the built binary against a real
 * SQLite store, and for the parent's DS a real Knot serving `example.test` on a free loopback port,
 * whose DS RRset for our zone the test changes with knotc as the operator would at the parent. The
 * DS lines are checked by Knot's own keymgr (the key imported into a scratch KASP database). Short
 * TTLs and a 1 s propagation delay keep the rollover's waits to seconds.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseConfig } from '../src/config';
import { dnskeyLine, dsLine, signingKeyFromPem } from '../src/dns/dnssec/keys';
import { parseKeysetDocument } from '../src/dns/dnssec/keyset';
import type { KeysetDocument } from '../src/dns/dnssec/types';
import { openStore, type Store } from '../src/store';
import { runRollover } from '../src/cli/dnssec/rollover';
import { parseZone } from '../src/dns';
import { runCli } from './support/server-process';
import { startKnotZone, type KnotZone } from './topology/knot-zone';

const run = promisify(execFile);
const ZONE = 'auth.example.test';
const DS_LINE = /^auth\.example\.test\. DS (\d+) (13|15) 2 ([0-9A-F]{64})$/;

/** A configuration for our zone under example.test; `dnssec` is the [dnssec] section's body. */
function configToml(dir: string, dnssec: string, ttl = 1): string {
  return `
[general]
listen = "127.0.0.1:0"
domain = "${ZONE}"
nsname = "ns1.${ZONE}"
nsadmin = "admin.example.test"
static_ttl = ${ttl}
negative_ttl = 1
records = ["${ZONE}. A 127.0.0.1", "ns1.${ZONE}. A 127.0.0.1", "${ZONE}. NS ns1.${ZONE}."]
[database]
engine = "sqlite"
connection = "${path.join(dir, 'acmedns.db')}"
[api]
ip = "127.0.0.1"
port = "0"
tls = "none"
[dnssec]
${dnssec}
`;
}

/** A directory with the configuration and a migrated, empty store (as after the server's first start). */
async function setUp(dnssec: string, ttl = 1): Promise<{ dir: string; config: string; store: Store }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-dnssec-cli-'));
  const config = path.join(dir, 'config.toml');
  const toml = configToml(dir, dnssec, ttl);
  fs.writeFileSync(config, toml);
  const parsed = parseConfig(toml, {}, config);
  const store = await openStore(parsed.database, parsed.txt, parsed.dns.domain);
  return { dir, config, store };
}

async function documentOf(store: Store): Promise<{ version: number; doc: KeysetDocument }> {
  const stored = await store.getDnssecKeyset();
  if (stored === undefined) throw new Error('no key set stored');
  return { version: stored.version, doc: parseKeysetDocument(stored.document) };
}

/** What keymgr prints for the key in `pem`: its SHA-256 DS line (imported into a scratch KASP database). */
async function keymgrDs(dir: string, pem: string, algorithm: 13 | 15): Promise<string> {
  const kasp = fs.mkdtempSync(path.join(dir, 'kasp-'));
  const conf = path.join(kasp, 'knot.conf');
  const name = algorithm === 13 ? 'ecdsap256sha256' : 'ed25519';
  fs.writeFileSync(path.join(kasp, 'key.pem'), pem);
  fs.writeFileSync(
    conf,
    ['database:', `    storage: "${kasp}"`, 'policy:', '  - id: csk', `    algorithm: ${name}`, '    single-type-signing: on', 'zone:', `  - domain: ${ZONE}`, '    dnssec-policy: csk', ''].join('\n'),
  );
  await run('keymgr', ['-c', conf, ZONE, 'import-pem', path.join(kasp, 'key.pem'), 'ksk=true', 'zsk=true']);
  const { stdout } = await run('keymgr', ['-c', conf, ZONE, 'ds']);
  const line = stdout.split('\n').find((l) => / DS \d+ \d+ 2 /.test(l));
  if (line === undefined) throw new Error(`keymgr printed no SHA-256 DS: ${stdout}`);
  return line;
}

describe('acmedns dnssec ds', () => {
  test.each([
    ['ecdsap256sha256', 13],
    ['ed25519', 15],
  ] as const)('claims a key set on first use (%s) and prints the DS as keymgr does, then the DNSKEY', async (name, algorithm) => {
    const { dir, config, store } = await setUp(`enabled = true\nalgorithm = "${name}"`);
    try {
      expect(await store.getDnssecKeyset()).toBeUndefined();
      const first = await runCli(['dnssec', 'ds', '-c', config]);
      expect(first.code).toBe(0);
      expect(first.stderr).toContain('a new key was made');
      const { version, doc } = await documentOf(store);
      expect(version).toBe(1);
      expect(doc.keys).toHaveLength(1);
      const stored = doc.keys[0]!;
      expect(stored).toMatchObject({ algorithm, role: 'active' });
      const key = signingKeyFromPem(stored.privateKeyPem, algorithm);

      const [ds, dnskey, extra] = first.stdout.split('\n');
      expect(extra).toBe('');
      const m = DS_LINE.exec(ds!);
      expect(m).not.toBeNull();
      expect([Number(m![1]), Number(m![2])]).toEqual([key.tag, algorithm]);
      expect(ds).toBe(dsLine(ZONE, key));
      expect(ds!.toLowerCase()).toBe((await keymgrDs(dir, stored.privateKeyPem, algorithm)).toLowerCase());
      expect(dnskey).toBe(dnskeyLine(ZONE, key));

      // Claimed once: the next run prints the same key and makes none.
      const again = await runCli(['dnssec', 'ds', '-c', config]);
      expect(again).toEqual({ code: 0, stdout: first.stdout, stderr: '' });
      expect((await documentOf(store)).version).toBe(1);
      const json = await runCli(['dnssec', 'ds', '--json', '-c', config]);
      expect(JSON.parse(json.stdout)).toEqual({ zone: ZONE, claimed: false, keys: [{ tag: key.tag, algorithm, role: 'active', ds, dnskey }] });
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('DNSSEC off: a clear error, and no key set is made', async () => {
    const { dir, config, store } = await setUp('enabled = false');
    try {
      for (const sub of ['ds', 'status', 'rollover']) {
        await expect(runCli(['dnssec', sub, '-c', config])).resolves.toEqual({
          code: 1,
          stdout: '',
          stderr: `acmedns: DNSSEC is off in ${config}: set enabled = true in [dnssec] (and restart the server) first\n`,
        });
      }
      expect(await store.getDnssecKeyset()).toBeUndefined();
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a rollover driven against a real parent (Knot)', () => {
  let dir: string;
  let config: string;
  let store: Store;
  let knot: KnotZone;
  let resolver: string;

  const cli = (...args: string[]): ReturnType<typeof runCli> => runCli(['dnssec', ...args, '-c', config]);
  const rollover = (...args: string[]): ReturnType<typeof runCli> => cli('rollover', '--resolver', resolver, ...args);
  const dsData = (line: string): string => line.replace(/^\S+ DS /, '');
  /** Waits until status says the next step may be taken. */
  const untilNextStep = async (): Promise<void> => {
    const status = JSON.parse((await cli('status', '--json')).stdout) as { next: { earliest: string | null } };
    const earliest = status.next.earliest === null ? 0 : Date.parse(status.next.earliest);
    // Whole seconds: the step is allowed from the next second on.
    while (Date.now() < earliest + 1000) await sleep(200);
  };

  beforeAll(async () => {
    ({ dir, config, store } = await setUp('enabled = true\ndnskey_ttl = 1\npropagation_delay = "1s"'));
    const first = await runCli(['dnssec', 'ds', '-c', config]);
    const oldDs = first.stdout.split('\n')[0]!;
    knot = await startKnotZone({
      dir,
      zone: 'example.test',
      lines: [
        '$TTL 1',
        '@ SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 1',
        '@ NS ns',
        'ns A 127.0.0.1',
        `auth NS ns1.${ZONE}.`,
        `ns1.auth A 127.0.0.1`,
        `auth 1 DS ${dsData(oldDs)}`,
      ],
    });
    resolver = `${knot.target.address}:${knot.target.port}`;
  }, 60_000);
  afterAll(async () => {
    await knot?.stop();
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('status, every step with its refusals, and the end: the new key alone', async () => {
    const oldKey = (await documentOf(store)).doc.keys[0]!;
    const oldDs = dsLine(ZONE, signingKeyFromPem(oldKey.privateKeyPem, oldKey.algorithm));

    const status = await cli('status', '--resolver', resolver);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^zone +${ZONE}\nkey \\d+ +active +algorithm 13  created \\S+Z\nrollover +none\n`));
    expect(status.stdout).toContain(`parent DS    match; holds the DS of ${DS_LINE.exec(oldDs)![1]} (resolver ${resolver}, TTL 1 s)`);

    // Start: a second key, published and signing; its DS is printed with the time to add it.
    const start = await rollover();
    expect(start.code).toBe(0);
    const newDs = start.stdout.split('\n').find((l) => DS_LINE.test(l.trim()) && l.trim() !== oldDs)!.trim();
    expect(start.stdout).toContain('rollover started');
    const afterStart = await documentOf(store);
    expect(afterStart.doc.keys.map((k) => k.role)).toEqual(['active', 'incoming']);
    expect(afterStart.doc.rollover?.phase).toBe('await-new-ds');
    const ds = await cli('ds');
    expect(ds.stdout.split('\n').slice(0, 2)).toEqual([oldDs, newDs]);

    // The time has come but the parent does not show the new DS: refused, saying which line to add.
    await untilNextStep();
    const notYet = await rollover();
    expect(notYet.code).toBe(1);
    expect(notYet.stdout).toMatch(/^refused: the parent does not hold the DS of the new key \d+ yet\n/);
    expect(notYet.stdout).toContain(`add at the parent:\n  ${newDs}\n`);
    expect((await documentOf(store)).version).toBe(afterStart.version);

    await knot.add(`${ZONE}.`, 1, 'DS', dsData(newDs));
    expect((await cli('status', '--resolver', resolver)).stdout).toContain('parent DS    match; holds the DS of');
    const promoted = await rollover();
    expect([promoted.code, promoted.stderr]).toEqual([0, '']);
    expect(promoted.stdout).toContain(`remove from the parent:\n  ${oldDs}\nkeep at the parent:\n  ${newDs}\n`);
    expect((await documentOf(store)).doc.keys.map((k) => k.role)).toEqual(['retiring', 'active']);

    const stillThere = await rollover();
    expect(stillThere.code).toBe(1);
    expect(stillThere.stdout).toMatch(/^refused: the parent still holds the DS of the retiring key \d+\n/);

    await knot.remove(`${ZONE}.`, 'DS', dsData(oldDs));
    const gone = await rollover();
    expect(gone.code).toBe(0);
    expect(gone.stdout).toMatch(/the parent no longer holds the DS of key \d+; caches may keep the old DS RRset for 1 s/);
    const rolloverState = (await documentOf(store)).doc.rollover;
    expect(rolloverState).toMatchObject({ phase: 'await-old-ds-removal', removeAllowedAt: expect.any(Number) });

    await untilNextStep();
    const done = await rollover();
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/key \d+ is removed; the rollover is complete/);
    const end = await documentOf(store);
    expect(end.doc.rollover).toBeUndefined();
    expect(end.doc.keys.map((k) => dsLine(ZONE, signingKeyFromPem(k.privateKeyPem, k.algorithm)))).toEqual([newDs]);
    expect((await cli('ds')).stdout.split('\n')[0]).toBe(newDs);
    const final = await cli('status', '--resolver', resolver);
    expect(final.stdout).toContain('rollover     none');
    expect(final.stdout).toContain('parent DS    match');
  }, 60_000);

  test('refusals while the TTLs run, --force overriding them, a parent holding only other keys, and a lost race', async () => {
    // Default TTLs (an hour): no step but the start may be taken for hours.
    const b = await setUp('enabled = true', 3600);
    const cliB = (...args: string[]): ReturnType<typeof runCli> => runCli(['dnssec', ...args, '-c', b.config]);
    try {
      expect((await cliB('rollover')).code).toBe(0);
      const early = await cliB('rollover', '--resolver', resolver);
      expect(early.code).toBe(1);
      expect(early.stdout).toMatch(/^refused: too early: caches may hold our DNSKEY RRset without the new key \d+ until \S+Z\nat or after \S+Z, add at the parent:\n  auth\.example\.test\. DS /);

      // This parent holds the DS of the other store's key: for this one, a bogus delegation.
      const bogus = await cliB('status', '--resolver', resolver);
      expect(bogus.code).toBe(1);
      expect(bogus.stdout).toMatch(/parent DS    only other keys: .*BOGUS.*; DS of keys not ours: \d+ \(resolver/);

      const forced = await cliB('rollover', '--force');
      expect(forced.code).toBe(0);
      expect(forced.stderr).toContain('WARNING: --force takes the step without checking the parent or the waiting times');
      expect(forced.stdout).toMatch(/^FORCED: /);
      expect((await documentOf(b.store)).doc.keys.map((k) => k.role)).toEqual(['retiring', 'active']);

      const unchecked = await cliB('rollover');
      expect(unchecked.code).toBe(1);
      expect(unchecked.stdout).toMatch(/^refused: the parent's DS was not checked: name a resolver with --resolver HOST:PORT\nremove from the parent:\n/);

      // Two runs deciding on one version: the second to write loses and is told to run again.
      const parsed = parseConfig(fs.readFileSync(b.config, 'utf8'), {}, b.config);
      const racing = {
        getDnssecKeyset: async () => {
          const read = await b.store.getDnssecKeyset();
          // Another run's step lands between this run's read and its write.
          if (read) await b.store.replaceDnssecKeyset(read.version, read.document);
          return read;
        },
        claimDnssecKeyset: (d: string) => b.store.claimDnssecKeyset(d),
        replaceDnssecKeyset: (v: number, d: string) => b.store.replaceDnssecKeyset(v, d),
      };
      const before = await documentOf(b.store);
      await expect(
        runRollover({ config: parsed, zone: parseZone(parsed.dns), store: racing }, () => Promise.resolve(), { json: false, force: true, resolver: undefined }, Math.floor(Date.now() / 1000)),
      ).rejects.toThrow('the key set changed while this step was decided (another rollover run, or a server claiming it): nothing was changed; run the command again');
      const after = await documentOf(b.store);
      expect(after.version).toBe(before.version + 1);
      expect(after.doc).toEqual(before.doc);

      const end = await cliB('rollover', '--force', '--json');
      expect(end.code).toBe(0);
      expect(JSON.parse(end.stdout)).toMatchObject({ result: 'applied', step: 'old-key-removed', keys: [{ role: 'active' }], rollover: null });
    } finally {
      await b.store.close();
      fs.rmSync(b.dir, { recursive: true, force: true });
    }
  }, 60_000);
});
