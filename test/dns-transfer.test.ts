/**
 * Zone transfers (issue 10) with real clients (`dig`, `kdig`) against the daemon on SQLite: AXFR
 * holds the whole zone, only listed sources may transfer, a transfer key is required when
 * configured, IXFR sends exactly the change (or the whole zone once the journal is pruned), the
 * serial follows every change (expiry too) and never goes back across a restart, UDP answers as
 * Knot's, and malformed requests get the right rcode without stopping the server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { register, send, txtValue, update, type Registration } from './support/api-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { frame, header, parseReply, rcodeOf, TcpClient, udpQuery, wireName, tcpQuery, type Target } from './support/dns-client';
import { dig, digRecords, soaSerial, type DigRecord } from './support/dig';
import { until } from './support/poll';
import { scrape, valueOf } from './support/prometheus';

const ZONE = 'auth.example.org';
const SECRET = Buffer.alloc(32, 9).toString('base64');

const axfr = async (t: Target, ...args: string[]): Promise<DigRecord[]> => digRecords((await dig('dig', t, ['+tcp', ZONE, 'AXFR', ...args])).stdout);
const ixfr = async (t: Target, serial: number): Promise<DigRecord[]> => digRecords((await dig('dig', t, ['+tcp', ZONE, `IXFR=${serial}`])).stdout);
const serialOf = async (t: Target): Promise<number> => {
  const reply = await udpQuery(t, { name: ZONE, type: 'SOA' });
  const soa = reply.packet.answers?.find((a) => a.type === 'SOA');
  if (soa?.type !== 'SOA' || soa.data.serial === undefined) throw new Error('no SOA in the answer');
  return soa.data.serial;
};
const txtOf = (records: readonly DigRecord[]): string[] => records.filter((r) => r.type === 'TXT').map((r) => `${r.name} ${r.data}`);
const quoted = (value: string): string => `"${value}"`;

async function transfers(d: TestDaemon, kind: string, result: string): Promise<number> {
  return valueOf(await scrape(`${d.api}/metrics`), 'acmedns_dns_transfers_total', { kind, result }) ?? 0;
}

describe('allowed from 127.0.0.1, no key', () => {
  let d: TestDaemon;
  let accounts: Registration[];
  const values = ['a', 'b', 'c'].map(txtValue);

  beforeAll(async () => {
    // Two journal steps kept, pruned every 200 ms: an IXFR one change back is incremental, three back is the whole zone.
    d = await startTestDaemon({ extra: '[transfer]\nallow = ["127.0.0.1"]\njournal_size = 2\n', daemon: { zoneJobs: { pruneIntervalMs: 200 } } });
    accounts = [await register(d.api), await register(d.api), await register(d.api)];
    for (const [i, a] of accounts.entries()) expect((await update(d.api, a, values[i] as string)).status).toBe(200);
  });
  afterAll(() => d.stop());

  test('AXFR: SOA, the static records, every account value, SOA', async () => {
    const records = await axfr(d.tcp);
    expect(records[0]?.type).toBe('SOA');
    expect(records[records.length - 1]?.type).toBe('SOA');
    expect(soaSerial(records[0] as DigRecord)).toBe(await serialOf(d.dns));
    expect(records.filter((r) => r.type === 'SOA')).toHaveLength(2);
    expect(records.filter((r) => r.type === 'A').map((r) => r.name).sort()).toEqual([`${ZONE}.`, `ns1.${ZONE}.`]);
    expect(records.filter((r) => r.type === 'NS')).toHaveLength(1);
    expect(txtOf(records).sort()).toEqual(accounts.map((a, i) => `${a.subdomain}.${ZONE}. ${quoted(values[i] as string)}`).sort());
  });

  test('AXFR from 127.0.0.2 (not listed) is REFUSED and counted', async () => {
    const before = await transfers(d, 'axfr', 'refused');
    const out = await dig('kdig', d.tcp, ['-b', '127.0.0.2', '+tcp', ZONE, 'AXFR']);
    expect(out.stdout + out.stderr).toContain("'REFUSED'");
    expect(digRecords(out.stdout)).toEqual([]);
    expect(await transfers(d, 'axfr', 'refused')).toBe(before + 1);
    // IXFR too; the listed source still transfers.
    const ixfrOut = await dig('kdig', d.tcp, ['-b', '127.0.0.2', '+tcp', ZONE, 'IXFR=1']);
    expect(ixfrOut.stdout + ixfrOut.stderr).toContain("'REFUSED'");
    expect(await axfr(d.tcp)).not.toEqual([]);
  });

  test('IXFR after one change transfers that change only; IXFR at the current serial is the SOA alone', async () => {
    const from = await serialOf(d.dns);
    const next = txtValue('ixfr-one');
    expect((await update(d.api, accounts[0] as Registration, next)).status).toBe(200);
    const to = await serialOf(d.dns);
    expect(to).not.toBe(from);
    const before = await transfers(d, 'ixfr', 'incremental');
    const records = await ixfr(d.tcp, from);
    // RFC 1995 §4: SOA(new), SOA(old), [removed], SOA(new), added, SOA(new).
    expect(records.map((r) => r.type)).toEqual(['SOA', 'SOA', 'SOA', 'TXT', 'SOA']);
    expect(records.map((r) => (r.type === 'SOA' ? soaSerial(r) : r.data))).toEqual([to, from, to, quoted(next), to]);
    expect(await transfers(d, 'ixfr', 'incremental')).toBe(before + 1);
    expect((await ixfr(d.tcp, to)).map((r) => `${r.type} ${r.type === 'SOA' ? soaSerial(r) : ''}`)).toEqual([`SOA ${to}`]);
  });

  test('a value removed (/cleanup) changes the serial and leaves the AXFR; the IXFR says removed', async () => {
    const from = await serialOf(d.dns);
    const a = accounts[1] as Registration;
    // lego's httpreq /cleanup: Basic authentication, the value to remove.
    const basic = `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}`;
    const res = await send(d.api, { method: 'POST', path: '/cleanup', headers: { Authorization: basic, 'Content-Type': 'application/json' }, body: JSON.stringify({ fqdn: a.fulldomain, value: values[1] }) });
    expect(res.status).toBe(200);
    const to = await serialOf(d.dns);
    expect(to).not.toBe(from);
    expect(txtOf(await axfr(d.tcp)).join('\n')).not.toContain(values[1]);
    const records = await ixfr(d.tcp, from);
    expect(records.map((r) => r.type)).toEqual(['SOA', 'SOA', 'TXT', 'SOA', 'SOA']);
    expect(records[2]?.data).toBe(quoted(values[1] as string));
  });

  test('UDP: AXFR is NOTIMP (as Knot), IXFR is the current SOA alone (RFC 1995 §2, the client retries over TCP)', async () => {
    const out = await dig('kdig', d.dns, ['+notcp', ZONE, 'AXFR']);
    expect(out.stdout + out.stderr).toContain("'NOTIMPL'");
    const serial = await serialOf(d.dns);
    const records = digRecords((await dig('kdig', d.dns, ['+notcp', ZONE, 'IXFR=1'])).stdout);
    expect(records.map((r) => `${r.type} ${soaSerial(r)}`)).toEqual([`SOA ${serial}`]);
  });

  test('an IXFR from before the journal (journal_size steps kept, the rest pruned) gets the whole zone', async () => {
    const first = await serialOf(d.dns);
    for (const i of [1, 2, 3]) expect((await update(d.api, accounts[2] as Registration, txtValue(`prune-${i}`))).status).toBe(200);
    const before = await transfers(d, 'ixfr', 'full');
    // The prune runs in the background: poll until it took the steps after `first` away.
    await until('the journal to be pruned', async () => (await ixfr(d.tcp, first)).filter((r) => r.type === 'SOA').length === 2);
    const records = await ixfr(d.tcp, first);
    expect(records[0]?.type).toBe('SOA');
    expect(records.filter((r) => r.type === 'A')).toHaveLength(2);
    // The same content as an AXFR, the three new values in it.
    expect(txtOf(records).sort()).toEqual(txtOf(await axfr(d.tcp)).sort());
    expect(txtOf(records).join('\n')).toContain(txtValue('prune-3'));
    expect(await transfers(d, 'ixfr', 'full')).toBeGreaterThan(before);
  });

  test('malformed transfer requests: FORMERR, and the server keeps answering', async () => {
    const q = (counts: [number, number, number, number], type: number, tail: Buffer = Buffer.alloc(0)): Buffer => {
      const t = Buffer.alloc(4);
      t.writeUInt16BE(type, 0);
      t.writeUInt16BE(1, 2);
      return Buffer.concat([header(0x4242, 0, counts), wireName(ZONE), t, tail]);
    };
    const cases: [string, Buffer, string][] = [
      // An answer count with no answer behind it.
      ['AXFR with ANCOUNT 1 and no record', q([1, 1, 0, 0], 252), 'FORMERR'],
      // RFC 1995 §3: the client's SOA is required.
      ['IXFR without its authority SOA', q([1, 0, 0, 0], 251), 'FORMERR'],
      // A SOA whose RDATA is short.
      ['IXFR with a truncated authority SOA', q([1, 0, 1, 0], 251, Buffer.concat([Buffer.from([0xc0, 12, 0, 6, 0, 1, 0, 0, 0, 0, 0, 4]), Buffer.from([0, 0, 0, 1])])), 'FORMERR'],
      // A TSIG RR cut short (RFC 8945 §5.2: FORMERR).
      ['AXFR with a truncated TSIG', q([1, 0, 0, 1], 252, Buffer.concat([wireName('xfr'), Buffer.from([0, 250, 0, 255, 0, 0, 0, 0, 0, 3, 1, 2, 3])])), 'FORMERR'],
    ];
    for (const [what, msg, rcode] of cases) {
      const client = new TcpClient(d.tcp);
      client.write(frame(msg));
      const [reply] = await client.waitFor(1);
      client.destroy();
      expect([what, reply ? rcodeOf(parseReply(reply)) : 'none']).toEqual([what, rcode]);
    }
    expect(rcodeOf(await tcpQuery(d.tcp, { name: ZONE, type: 'SOA' }))).toBe('NOERROR');
    expect(await axfr(d.tcp)).not.toEqual([]);
  });
});

describe('with a transfer key', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon({ extra: `[transfer]\nallow = ["127.0.0.1"]\ntsig_key = "xfr.example"\ntsig_secret = "${SECRET}"\n` });
    const a = await register(d.api);
    expect((await update(d.api, a, txtValue('keyed'))).status).toBe(200);
  });
  afterAll(() => d.stop());

  test('unsigned: REFUSED; signed with the key (dig -y): the zone, every message signed', async () => {
    const unsigned = await dig('kdig', d.tcp, ['+tcp', ZONE, 'AXFR']);
    expect(unsigned.stdout + unsigned.stderr).toContain("'REFUSED'");
    const signed = await dig('dig', d.tcp, ['-y', `hmac-sha256:xfr.example:${SECRET}`, '+tcp', ZONE, 'AXFR']);
    const records = digRecords(signed.stdout);
    expect(records.filter((r) => r.type === 'TXT')).toHaveLength(1);
    // dig checks each message's TSIG and says "tsig verify failure" otherwise; the TSIG RR is printed.
    expect(signed.stdout).not.toMatch(/verify failure|Transfer failed/i);
    expect(records.filter((r) => r.type === 'TSIG').length).toBeGreaterThan(0);
  });

  test('a wrong secret: NOTAUTH (RFC 8945 BADSIG); an unknown key: NOTAUTH (BADKEY); nothing transferred', async () => {
    const wrong = await dig('kdig', d.tcp, ['-y', `hmac-sha256:xfr.example:${Buffer.alloc(32, 1).toString('base64')}`, '+tcp', ZONE, 'AXFR']);
    expect(wrong.stdout + wrong.stderr).toMatch(/NOTAUTH|BADSIG/);
    expect(digRecords(wrong.stdout).filter((r) => r.type === 'TXT')).toEqual([]);
    const unknown = await dig('kdig', d.tcp, ['-y', `hmac-sha256:other.key:${SECRET}`, '+tcp', ZONE, 'AXFR']);
    expect(unknown.stdout + unknown.stderr).toMatch(/NOTAUTH|BADKEY/);
    expect(digRecords(unknown.stdout).filter((r) => r.type === 'TXT')).toEqual([]);
  });
});

describe('the serial', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-serial-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('changes when a value expires (txt.max_age), and never goes back across a restart', async () => {
    const sqliteFile = path.join(dir, 'acmedns.db');
    const extra = '[txt]\nmax_age = 2\n[transfer]\nallow = ["127.0.0.1"]\n';
    let d = await startTestDaemon({ extra, sqliteFile });
    let serial: number;
    try {
      const a = await register(d.api);
      const value = txtValue('expires');
      const before = await serialOf(d.dns);
      expect((await update(d.api, a, value)).status).toBe(200);
      const added = await serialOf(d.dns);
      expect(added).not.toBe(before);
      await until('the value to expire out of the zone', async () => (await serialOf(d.dns)) !== added, { timeoutMs: 15_000 });
      expect(txtOf(await axfr(d.tcp)).join('\n')).not.toContain(value);
      serial = await serialOf(d.dns);
    } finally {
      await d.stop();
    }
    d = await startTestDaemon({ extra, sqliteFile });
    try {
      const after = await serialOf(d.dns);
      expect(after).toBeGreaterThanOrEqual(serial);
    } finally {
      await d.stop();
    }
  });
});
