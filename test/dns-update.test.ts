/**
 * RFC 2136 UPDATE through the real daemon (SQLite, real sockets) with the real clients: BIND's
 * nsupdate and Knot's knsupdate add and delete TXT values at an account's name with every TSIG
 * algorithm, and every refusal leaves the zone as it was. Keys are added to the daemon's own
 * database through the store (a second SQLite connection), as `acmedns accounts tsig add` does.
 */
import { register, type Registration } from './support/api-client';
import { rcodeOf, sendUdp, txtValues, udpQuery, type Target } from './support/dns-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { buildUpdate, TYPE } from './support/dns-update';
import { scrape, valueOf } from './support/prometheus';
import { addKey, ALGORITHMS, knsupdate, nsupdate, openDaemonStore, type ClientKey, type ClientRun } from './support/rfc2136';
import { findTsig, signRequest, TsigErrorCode } from '../src/dns/tsig';
import type { Store } from '../src/store/types';

describe('RFC 2136 UPDATE with nsupdate and knsupdate', () => {
  let t: TestDaemon;
  let store: Store;
  let a: Registration;
  let b: Registration;
  let key: ClientKey;

  const values = async (name: string, server: Target = t.dns): Promise<string[]> => txtValues(await udpQuery(server, { name, type: 'TXT' })).sort();
  /** What must not move when an UPDATE is refused: both accounts' values and the audit trail. */
  const snapshot = async (): Promise<unknown> => ({
    a: await values(a.fulldomain),
    b: await values(b.fulldomain),
    apex: await values('auth.example.org'),
    audit: (await store.listAudit({ limit: 10_000 })).length,
  });
  const ok = (run: ClientRun): void => expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const failed = (run: ClientRun, rcode: string): void => {
    expect(run.code).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain(rcode);
  };

  beforeAll(async () => {
    // A low failure limit, so the lockout test needs few tries; the other tests stay under it.
    t = await startTestDaemon({ extra: '[ratelimit]\nauth_failures = 3\n' });
    store = openDaemonStore(t.dbFile);
    a = await register(t.api);
    b = await register(t.api);
    key = await addKey(store, a.username);
  });
  afterAll(async () => {
    await store?.close();
    await t?.stop();
  });

  describe.each(ALGORITHMS.map((alg) => [alg]))('%s', (algorithm) => {
    test.each([
      ['nsupdate', nsupdate, false],
      ['knsupdate', knsupdate, true],
    ] as const)('%s adds a value, it is served, and deleting it leaves nothing', async (_client, client, tcp) => {
      const account = await register(t.api);
      const k = await addKey(store, account.username, algorithm);
      const name = account.fulldomain;
      ok(await client({ server: tcp ? t.tcp : t.dns, tcp, key: k, commands: [`update add ${name} 60 TXT "first"`, `update add ${name} 60 TXT "second"`] }));
      expect(await values(name)).toEqual(['first', 'second']);
      ok(await client({ server: tcp ? t.tcp : t.dns, tcp, key: k, commands: [`update delete ${name} TXT "first"`] }));
      expect(await values(name)).toEqual(['second']);
      ok(await client({ server: tcp ? t.tcp : t.dns, tcp, key: k, commands: [`update delete ${name} TXT`] }));
      expect(await values(name)).toEqual([]);
    });
  });

  test('a long value in 255-octet strings round-trips; "delete the name" removes it', async () => {
    const long = 'x'.repeat(255) + 'y'.repeat(100);
    ok(await nsupdate({ server: t.dns, key, commands: [`update add ${a.fulldomain} 60 TXT "${'x'.repeat(255)}" "${'y'.repeat(100)}"`] }));
    expect(await values(a.fulldomain)).toEqual([long]);
    ok(await nsupdate({ server: t.dns, key, commands: [`update delete ${a.fulldomain}`] }));
    expect(await values(a.fulldomain)).toEqual([]);
  });

  describe('refused as a whole, nothing changed', () => {
    beforeAll(async () => {
      ok(await nsupdate({ server: t.dns, key, commands: [`update add ${a.fulldomain} 60 TXT "kept"`] }));
      ok(await nsupdate({ server: t.dns, key: await addKey(store, b.username), commands: [`update add ${b.fulldomain} 60 TXT "b-kept"`] }));
    });

    const cases: ReadonlyArray<readonly [string, () => ClientKey, (name: string) => string[], string]> = [
      ["another account's name", () => key, () => [`update add ${b.fulldomain} 60 TXT "x"`], 'REFUSED'],
      ['the apex', () => key, () => ['update add auth.example.org 60 TXT "x"'], 'REFUSED'],
      ['an A record at its own name', () => key, (n) => [`update add ${n} 60 A 192.0.2.1`], 'REFUSED'],
      ['its own value beside another name', () => key, (n) => [`update add ${n} 60 TXT "x"`, `update delete ${b.fulldomain} TXT`], 'REFUSED'],
      ['the apex NS', () => key, () => ['update delete auth.example.org NS'], 'REFUSED'],
      ['a wrong secret', () => ({ ...key, secret: Buffer.alloc(32, 1).toString('base64') }), (n) => [`update add ${n} 60 TXT "x"`], 'BADSIG'],
      ['an unknown key', () => ({ ...key, name: 'nobody.keys.example' }), (n) => [`update add ${n} 60 TXT "x"`], 'BADKEY'],
    ];
    test.each(cases)('%s', async (_what, keyOf, commands, rcode) => {
      const before = await snapshot();
      failed(await nsupdate({ server: t.dns, key: keyOf(), commands: commands(a.fulldomain) }), rcode);
      failed(await knsupdate({ server: t.tcp, tcp: true, key: keyOf(), commands: commands(a.fulldomain) }), rcode);
      expect(await snapshot()).toEqual(before);
    });

    test('no TSIG: REFUSED', async () => {
      const before = await snapshot();
      const unsigned = buildUpdate({ updates: [{ name: a.fulldomain, type: TYPE.TXT, ttl: 60, txt: ['x'] }] });
      const reply = await sendUdp(t.dns, unsigned);
      expect(reply && reply.readUInt16BE(2) & 0xf).toBe(5);
      expect(await snapshot()).toEqual(before);
    });

    test('a time outside the fudge: NOTAUTH, BADTIME', async () => {
      const before = await snapshot();
      const stored = { name: key.name, algorithm: key.algorithm, secret: Buffer.from(key.secret, 'base64') };
      const msg = buildUpdate({ updates: [{ name: a.fulldomain, type: TYPE.TXT, ttl: 60, txt: ['x'] }] });
      const reply = await sendUdp(t.dns, signRequest(msg, stored, Math.floor(Date.now() / 1000) - 1000).bytes);
      if (!reply) throw new Error('no reply');
      expect(reply.readUInt16BE(2) & 0xf).toBe(9);
      expect(findTsig(reply)?.error).toBe(TsigErrorCode.BADTIME);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('prerequisites hold or refuse with their RCODE', () => {
    let c: Registration;
    let k: ClientKey;
    beforeAll(async () => {
      c = await register(t.api);
      k = await addKey(store, c.username);
    });

    test('on an empty name', async () => {
      const n = c.fulldomain;
      failed(await nsupdate({ server: t.dns, key: k, commands: [`prereq yxdomain ${n}`, `update add ${n} 60 TXT "x"`] }), 'NXDOMAIN');
      failed(await nsupdate({ server: t.dns, key: k, commands: [`prereq yxrrset ${n} TXT`, `update add ${n} 60 TXT "x"`] }), 'NXRRSET');
      expect(await values(n)).toEqual([]);
      ok(await nsupdate({ server: t.dns, key: k, commands: [`prereq nxdomain ${n}`, `prereq nxrrset ${n} TXT`, `update add ${n} 60 TXT "first"`] }));
      expect(await values(n)).toEqual(['first']);
    });

    test('on a name with a value', async () => {
      const n = c.fulldomain;
      failed(await nsupdate({ server: t.dns, key: k, commands: [`prereq nxdomain ${n}`, `update add ${n} 60 TXT "x"`] }), 'YXDOMAIN');
      failed(await knsupdate({ server: t.dns, key: k, commands: [`prereq nxrrset ${n} TXT`, `update add ${n} 60 TXT "x"`] }), 'YXRRSET');
      failed(await nsupdate({ server: t.dns, key: k, commands: [`prereq yxrrset ${n} TXT "other"`, `update add ${n} 60 TXT "x"`] }), 'NXRRSET');
      expect(await values(n)).toEqual(['first']);
      ok(await nsupdate({ server: t.dns, key: k, commands: [`prereq yxrrset ${n} TXT "first"`, `update delete ${n} TXT "first"`, `update add ${n} 60 TXT "second"`] }));
      expect(await values(n)).toEqual(['second']);
      ok(await knsupdate({ server: t.dns, key: k, commands: [`prereq yxdomain ${n}`, `prereq yxrrset ${n} TXT`, `update delete ${n} TXT`] }));
      expect(await values(n)).toEqual([]);
    });

    test('about another name: REFUSED', async () => {
      failed(await nsupdate({ server: t.dns, key: k, commands: [`prereq yxdomain ${a.fulldomain}`, `update add ${c.fulldomain} 60 TXT "x"`] }), 'REFUSED');
      expect(await values(c.fulldomain)).toEqual([]);
    });
  });

  test('audited as rfc2136 with the key name and the source address', async () => {
    const d = await register(t.api);
    const k = await addKey(store, d.username);
    ok(await nsupdate({ server: t.dns, key: k, local: '127.0.0.2', commands: [`update add ${d.fulldomain} 60 TXT "audited"`] }));
    ok(await nsupdate({ server: t.dns, key: k, commands: [`update delete ${d.fulldomain} TXT "audited"`] }));
    const entries = (await store.listAudit({ username: d.username, limit: 100 })).filter((e) => e.actor === 'rfc2136');
    expect(entries.map((e) => [e.action, e.client, (JSON.parse(e.detail ?? '{}') as { key?: string }).key])).toEqual([
      ['txt.updated', '127.0.0.2', k.name],
      ['txt.removed', '127.0.0.1', k.name],
    ]);
  });

  test('counted in acmedns_dns_updates_total by result and transport', async () => {
    const labels = (result: string, transport: string): Record<string, string> => ({ result, transport });
    const count = async (result: string, transport: string): Promise<number> => valueOf(await scrape(`${t.api}/metrics`), 'acmedns_dns_updates_total', labels(result, transport)) ?? 0;
    const g = await register(t.api);
    const k = await addKey(store, g.username);
    const [okUdp, okTcp, refused, notauth] = [await count('NOERROR', 'udp'), await count('NOERROR', 'tcp'), await count('REFUSED', 'udp'), await count('NOTAUTH', 'udp')];
    ok(await nsupdate({ server: t.dns, key: k, commands: [`update add ${g.fulldomain} 60 TXT "m"`] }));
    ok(await nsupdate({ server: t.tcp, tcp: true, key: k, commands: [`update delete ${g.fulldomain} TXT "m"`] }));
    failed(await nsupdate({ server: t.dns, key: k, commands: ['update add auth.example.org 60 TXT "m"'] }), 'REFUSED');
    failed(await nsupdate({ server: t.dns, key: { ...k, name: 'nobody.keys.example' }, commands: [`update add ${g.fulldomain} 60 TXT "m"`] }), 'NOTAUTH');
    expect([await count('NOERROR', 'udp'), await count('NOERROR', 'tcp'), await count('REFUSED', 'udp'), await count('NOTAUTH', 'udp')]).toEqual([okUdp + 1, okTcp + 1, refused + 1, notauth + 1]);
  });

  test("the account's allowfrom applies by the packet's source", async () => {
    const e = await register(t.api, ['127.0.0.5/32']);
    const k = await addKey(store, e.username);
    failed(await nsupdate({ server: t.dns, key: k, commands: [`update add ${e.fulldomain} 60 TXT "x"`] }), 'REFUSED');
    failed(await knsupdate({ server: t.tcp, tcp: true, key: k, local: '127.0.0.6', commands: [`update add ${e.fulldomain} 60 TXT "x"`] }), 'REFUSED');
    expect(await values(e.fulldomain)).toEqual([]);
    ok(await nsupdate({ server: t.dns, key: k, local: '127.0.0.5', commands: [`update add ${e.fulldomain} 60 TXT "allowed"`] }));
    expect(await values(e.fulldomain)).toEqual(['allowed']);
  });

  test('failed signatures lock the key out from that address only, as the API locks out a key', async () => {
    const f = await register(t.api);
    const k = await addKey(store, f.username);
    const wrong = { ...k, secret: Buffer.alloc(32, 2).toString('base64') };
    for (let i = 0; i < 3; i++) failed(await nsupdate({ server: t.dns, key: wrong, local: '127.0.0.3', commands: [`update add ${f.fulldomain} 60 TXT "x"`] }), 'BADSIG');
    // Over the limit: refused without verifying, so the answer is unsigned (nsupdate says so).
    const locked = await nsupdate({ server: t.dns, key: k, local: '127.0.0.3', commands: [`update add ${f.fulldomain} 60 TXT "x"`] });
    expect(locked.code).not.toBe(0);
    expect(await values(f.fulldomain)).toEqual([]);
    ok(await nsupdate({ server: t.dns, key: k, local: '127.0.0.4', commands: [`update add ${f.fulldomain} 60 TXT "elsewhere"`] }));
    expect(await values(f.fulldomain)).toEqual(['elsewhere']);
  });

  test('queries keep working beside UPDATE', async () => {
    expect(rcodeOf(await udpQuery(t.dns, { name: 'auth.example.org', type: 'SOA' }))).toBe('NOERROR');
  });
});
