/**
 * Issue 11: a CSK rollover run end to end with short TTLs. `acmedns dnssec rollover --resolver`
 * (the built CLI, against the running daemon's store) is followed exactly as an operator would:
 * the DS lines it says to add or remove go to the signed parent, and each wait it names is
 * waited out. It must refuse a step whose precondition does not hold (too early, DS not at the
 * parent), and the zone must never be bogus: after every step an account's TXT, a missing name and
 * the DNSKEY RRset validate through unbound and delv, and a watcher asks unbound all the time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { register, txtValue, update, type Registration } from './support/api-client';
import { runCli } from './support/server-process';
import { startServer, type TopologyServer } from './topology/acmedns';
import { CHILD_LABEL, normalDs, ourDsLines, publishDs } from './topology/signed-delegation';
import { askResolver, secureAnswer } from './topology/validation';
import { startTopology, topologySkipReason, ZONE, type Topology } from './topology';
import { until } from './support/poll';

jest.setTimeout(180_000);

const skip = topologySkipReason(['delv', 'keymgr']);
const suite = skip ? describe.skip : describe;
if (skip) console.warn(`DNSSEC rollover tests skipped: ${skip}`);

/** Every TTL the rollover waits for, small: the whole rollover takes seconds. */
const GENERAL = 'static_ttl = 2\ntxt_ttl = 1\nnegative_ttl = 1\n';
const DNSSEC = '[dnssec]\nenabled = true\ndnskey_ttl = 8\npropagation_delay = "1s"\nkey_poll = "1s"\n';
/** The DS RRset's TTL at the parent. */
const DS_TTL = 6;

/** What a rollover run tells the operator to do next. */
interface Guide {
  readonly add: string[];
  readonly remove: string[];
  readonly keep: string[];
  /** "at or after <time>": Unix ms. */
  readonly notBefore?: number | undefined;
}

/** Reads the instructions: "add at the parent:", "remove from the parent:", "keep at the parent:" blocks of indented DS lines. */
function guideOf(text: string): Guide {
  const guide: Guide & { notBefore?: number } = { add: [], remove: [], keep: [] };
  let block: string[] | undefined;
  for (const line of text.split('\n')) {
    const at = /at or after (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)/.exec(line);
    if (at?.[1]) guide.notBefore = Date.parse(at[1]);
    if (/add at the parent:\s*$/.test(line)) block = guide.add;
    else if (/remove from the parent:\s*$/.test(line)) block = guide.remove;
    else if (/keep at the parent:\s*$/.test(line)) block = guide.keep;
    else if (block && /^\s+\S+\s+(\d+\s+)?(IN\s+)?DS\s+/.test(line)) block.push(normalDs(line));
    else block = undefined;
  }
  return guide;
}

suite('a CSK rollover, step by step, never leaves the zone bogus', () => {
  let topo: Topology;
  let server: TopologyServer;
  let account: Registration;
  /** The DS RRset at the parent, as the operator keeps it. */
  let atParent: string[];
  /** The DS of the key the zone had before the rollover. */
  let firstDs: string[] = [];
  const notSecure: string[] = [];
  let watching = true;
  let watcher: Promise<void> | undefined;

  const log = (): string => `${server?.logText().slice(-4000) ?? ''}\n--- topology ---\n${topo.output().slice(-6000)}`;
  const rollover = (...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    runCli(['dnssec', 'rollover', '--resolver', `${topo.addresses.knot}:53`, '-c', server.configFile, ...extra]);
  const dnskeyCount = async (): Promise<number> =>
    ((await askResolver({ address: topo.addresses.acmedns, port: 53 }, ZONE, 'DNSKEY')).reply.packet.answers ?? []).filter((a) => a.type === 'DNSKEY').length;

  /** The account's TXT, a missing name and the DNSKEY RRset validate (unbound AD and delv). */
  const allSecure = async (when: string): Promise<void> => {
    for (const [name, type] of [[account.fulldomain, 'TXT'], [`gone-${Date.now()}.${ZONE}`, 'TXT'], [ZONE, 'DNSKEY']] as const) {
      await secureAnswer(topo, name, type).catch((err: Error) => {
        throw new Error(`${when}: ${err.message}`);
      });
    }
  };
  /** Puts the parent's DS RRset as the guide says (add, remove) and returns once unbound validates through it. */
  const follow = async (guide: Guide): Promise<void> => {
    atParent = [...atParent.filter((l) => !guide.remove.includes(l)), ...guide.add.filter((l) => !atParent.includes(l))];
    await publishDs(topo, atParent, { ttl: DS_TTL, log });
  };
  const waitFor = async (guide: Guide): Promise<void> => {
    if (guide.notBefore === undefined) throw new Error('the rollover named no time to wait for');
    // The CLI prints whole seconds: one more second so "now" is past the time it meant.
    const ms = guide.notBefore - Date.now() + 1000;
    expect(ms).toBeLessThan(30_000);
    if (ms > 0) await sleep(ms);
  };

  beforeAll(async () => {
    topo = await startTopology({ dnssec: true, startPebble: false });
    server = await startServer(topo, DNSSEC, { general: GENERAL });
    atParent = await ourDsLines(server.configFile);
    await publishDs(topo, atParent, { ttl: DS_TTL, log });
    account = await register(server.api);
    expect((await update(server.api, account, txtValue('rollover'))).status).toBe(200);
    await allSecure('before the rollover');
    // Unbound keeps nothing in its cache: every question is validated again, so it sees each change.
    watcher = (async () => {
      while (watching) {
        const a = await askResolver({ address: topo.addresses.unbound, port: 53 }, account.fulldomain, 'TXT').catch(() => undefined);
        if (!a?.ad) notSecure.push(`${new Date().toISOString()} ${a?.rcode ?? 'no answer'}`);
        await sleep(200);
      }
    })();
  });
  afterAll(async () => {
    watching = false;
    await watcher;
    await server?.stop();
    await topo?.stop();
  });

  it('runs every step as the command instructs, refusing the premature ones', async () => {
    const oldDs = [...atParent];
    firstDs = oldDs;
    expect(oldDs).toHaveLength(1);

    // 1. Start: a new key published and signing beside the old one.
    const started = await rollover();
    expect([started.code, started.stderr]).toEqual([0, '']);
    expect(started.stdout).toMatch(/rollover started/);
    const addNew = guideOf(started.stdout);
    expect(addNew.add).toHaveLength(1);
    expect(addNew.keep).toEqual(oldDs);
    // At once: too early (caches may hold our DNSKEY RRset without the new key), refused.
    const early = await rollover();
    expect(early.code).not.toBe(0);
    expect(`${early.stdout}${early.stderr}`).toMatch(/too early/);
    await until('the daemon to publish both keys', async () => (await dnskeyCount()) === 2, { log });
    await allSecure('after the start');

    // Time enough, but the new DS not at the parent: refused.
    await waitFor(addNew);
    const noDs = await rollover();
    expect(noDs.code).not.toBe(0);
    expect(`${noDs.stdout}${noDs.stderr}`).toMatch(/does not hold the DS of the new key/);

    // 2. The new DS at the parent beside the old: the new key becomes active, the old retires.
    await follow(addNew);
    await allSecure('with both DS at the parent');
    const swapped = await rollover();
    expect([swapped.code, swapped.stderr]).toEqual([0, '']);
    const removeOld = guideOf(swapped.stdout);
    expect(removeOld.remove).toEqual(oldDs);
    expect(removeOld.keep).toEqual(addNew.add);
    await allSecure('after the new key became active');

    // Removing the retiring key while its DS is still at the parent: refused.
    const stillThere = await rollover();
    expect(stillThere.code).not.toBe(0);
    expect(`${stillThere.stdout}${stillThere.stderr}`).toMatch(/still holds the DS of the retiring key/);

    // 3. The old DS removed at the parent: seen, and the time to wait for caches named.
    await follow(removeOld);
    await allSecure('with only the new DS at the parent');
    const gone = await rollover();
    expect([gone.code, gone.stderr]).toEqual([0, '']);
    const lastWait = guideOf(gone.stdout);
    const tooSoon = await rollover();
    expect(tooSoon.code).not.toBe(0);
    expect(`${tooSoon.stdout}${tooSoon.stderr}`).toMatch(/too early/);
    await allSecure('while caches may hold the old DS');

    // 4. The old key removed: one key again, the one whose DS the parent holds.
    await waitFor(lastWait);
    const done = await rollover();
    expect([done.code, done.stderr]).toEqual([0, '']);
    expect(done.stdout).toMatch(/rollover is complete/);
    await until('the daemon to publish the new key alone', async () => (await dnskeyCount()) === 1, { log });
    await allSecure('after the rollover');
    expect(await ourDsLines(server.configFile)).toEqual(addNew.add);

    // The watcher asked unbound all along: not one answer lost its AD flag.
    expect(notSecure).toEqual([]);
  });

  it('the DS of the removed key alone at the parent makes the zone bogus (the check can fail)', async () => {
    watching = false;
    await watcher;
    expect(firstDs).toHaveLength(1);
    expect(atParent).not.toEqual(firstDs);
    await topo.knot.setDs(CHILD_LABEL, firstDs, DS_TTL);
    await until('unbound to find our zone bogus', async () => (await askResolver({ address: topo.addresses.unbound, port: 53 }, ZONE, 'SOA')).rcode === 'SERVFAIL', { log });
    await publishDs(topo, atParent, { ttl: DS_TTL, log, afterBogus: true });
    await allSecure('the right DS back');
  });

  it('--force takes every step at once without the parent: warned, and the zone is bogus as warned', async () => {
    const steps = [await rollover('--force'), await rollover('--force'), await rollover('--force')];
    expect(steps.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(steps[1]!.stdout).toMatch(/FORCED/);
    expect(steps[2]!.stdout).toMatch(/rollover is complete/);
    // The parent still holds only the DS of the key the forced rollover removed.
    expect(await ourDsLines(server.configFile)).not.toEqual(atParent);
    await until('unbound to find our zone bogus', async () => (await askResolver({ address: topo.addresses.unbound, port: 53 }, ZONE, 'SOA')).rcode === 'SERVFAIL', { log });
  });
});
