/**
 * RFC 2136 UPDATE on a PostgreSQL deployment: two instances on one database. A value nsupdate adds
 * through one instance is served by the other at once (no poll: the store is the one truth, as for
 * an HTTP /update), and a delete through the other leaves nothing on either.
 */
import { register } from './support/api-client';
import { txtValues, udpQuery } from './support/dns-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { startPostgres, type TestPostgres } from './support/postgres';
import { addKey, knsupdate, nsupdate, openDaemonStore } from './support/rfc2136';
import type { Store } from '../src/store/types';

describe('RFC 2136 UPDATE on two instances sharing PostgreSQL', () => {
  let pg: TestPostgres;
  let url: string;
  let instances: TestDaemon[] = [];
  let store: Store;

  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase();
    instances = await Promise.all(['127.0.0.2', '127.0.0.3'].map((host) => startTestDaemon({ host, postgresUrl: url })));
    store = await openDaemonStore(url);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await Promise.all(instances.map((t) => t.stop()));
    await pg?.destroy();
  });

  test('added through A, served by B at once; deleted through B, gone from both', async () => {
    const [a, b] = instances as [TestDaemon, TestDaemon];
    const account = await register(a.api);
    const key = await addKey(store, account.username, 'hmac-sha512');
    const served = async (t: TestDaemon): Promise<string[]> => txtValues(await udpQuery(t.dns, { name: account.fulldomain, type: 'TXT' }));

    for (let round = 0; round < 5; round++) {
      const value = `round-${round}`;
      const added = await nsupdate({ server: a.dns, key, commands: [`update add ${account.fulldomain} 60 TXT "${value}"`] });
      expect({ code: added.code, stderr: added.stderr }).toEqual({ code: 0, stderr: '' });
      expect(await served(b)).toEqual([value]);
      const removed = await knsupdate({ server: b.tcp, tcp: true, key, commands: [`update delete ${account.fulldomain} TXT "${value}"`] });
      expect({ code: removed.code, stderr: removed.stderr }).toEqual({ code: 0, stderr: '' });
      expect(await served(a)).toEqual([]);
      expect(await served(b)).toEqual([]);
    }
    const audit = (await store.listAudit({ username: account.username, limit: 100 })).filter((e) => e.actor === 'rfc2136');
    expect(audit.map((e) => e.client)).toEqual(Array.from({ length: 5 }, () => ['127.0.0.1', '127.0.0.1']).flat());
  });
});
