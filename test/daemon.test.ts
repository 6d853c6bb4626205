import { register, txtValue, update } from './support/api-client';
import { rcodeOf, tcpQuery, txtValues, udpQuery } from './support/dns-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';

/** Flips the case of every other letter, as a 0x20 resolver does. */
function mixCase(name: string): string {
  return [...name].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('');
}

describe('daemon: register, update, answer', () => {
  let t: TestDaemon;
  beforeAll(async () => {
    t = await startTestDaemon();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('serves a value posted through the API over UDP and TCP, in the question spelling', async () => {
    const account = await register(t.api);
    const value = txtValue('first');
    await expect(update(t.api, account, value)).resolves.toEqual({ status: 200, body: `{"txt": "${value}"}` });

    const name = mixCase(`${account.fulldomain}`);
    for (const reply of [await udpQuery(t.dns, { name, type: 'TXT', edns: { udpSize: 1232 } }), await tcpQuery(t.tcp, { name, type: 'TXT' })]) {
      expect(rcodeOf(reply)).toBe('NOERROR');
      expect(reply.aa).toBe(true);
      expect(txtValues(reply)).toEqual([value]);
      expect(reply.packet.answers?.[0]?.name).toBe(name);
      expect(reply.packet.questions?.[0]?.name).toBe(name);
    }
  });

  it('serves every value of a certificate with several names on one account (acme.sh)', async () => {
    const account = await register(t.api);
    const values = ['a', 'b', 'c'].map(txtValue);
    for (const v of values) expect((await update(t.api, account, v)).status).toBe(200);
    const reply = await udpQuery(t.dns, { name: account.fulldomain, type: 'TXT' });
    expect(txtValues(reply).sort()).toEqual([...values].sort());
  });

  it('answers NODATA with the SOA for a registered name before its first value and for other types', async () => {
    const account = await register(t.api);
    for (const type of ['TXT', 'A', 'SOA', 'CNAME'] as const) {
      const reply = await udpQuery(t.dns, { name: account.fulldomain, type });
      expect([type, rcodeOf(reply)]).toEqual([type, 'NOERROR']);
      expect(reply.packet.answers).toEqual([]);
      expect(reply.packet.authorities?.map((a) => a.type)).toEqual(['SOA']);
    }
  });

  it('answers NXDOMAIN for names nobody registered and REFUSED outside the zone', async () => {
    const nx = await udpQuery(t.dns, { name: '2f0c5b1e-0000-4000-8000-000000000000.auth.example.org', type: 'TXT' });
    expect(rcodeOf(nx)).toBe('NXDOMAIN');
    expect(nx.packet.authorities?.map((a) => a.type)).toEqual(['SOA']);
    const outside = await udpQuery(t.dns, { name: 'example.com', type: 'A', rd: true });
    expect(rcodeOf(outside)).toBe('REFUSED');
  });
});

describe('daemon: logging', () => {
  it('logs each API request once with the client address and never the key', async () => {
    const t = await startTestDaemon();
    try {
      const account = await register(t.api);
      await update(t.api, account, txtValue('logged'));
      const lines = t.logText().split('\n').filter((l) => l.includes('api request'));
      expect(t.logText()).not.toContain(account.password);
      expect(lines.filter((l) => l.includes('"/update"'))).toHaveLength(1);
      expect(lines.filter((l) => l.includes('"/register"'))).toHaveLength(1);
      for (const line of lines) expect(line).toContain('127.0.0.1');
    } finally {
      await t.stop();
    }
  });
});

describe('daemon: stopping', () => {
  it('stops listening on every port and can be stopped twice', async () => {
    const t = await startTestDaemon();
    await t.stop();
    await t.daemon.stop();
    await expect(fetch(`${t.api}/health`)).rejects.toThrow();
    await expect(udpQuery(t.dns, { name: 'auth.example.org', type: 'SOA' })).rejects.toThrow(/no UDP reply/);
  });
});
