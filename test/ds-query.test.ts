/**
 * The parent DS lookup (src/dns/ds-query.ts) against a stand-in resolver on loopback whose replies
 * are written by another codec (dns-packet): DS records and their TTL, a truncated UDP reply asked
 * again over TCP, NODATA's negative TTL, and the replies it must refuse (another id, SERVFAIL,
 * silence). The real thing (Knot serving the parent) is in dnssec-cli.test.ts.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';
import { parseResolverAddress, queryParentDs } from '../src/dns/client/ds-query';
import { freeDnsPort } from './support/ports';

const ZONE = 'auth.example.test';
const DIGEST_A = Buffer.from('0d3e4c5f'.repeat(8), 'hex');
const DIGEST_B = Buffer.from('a1b2c3d4'.repeat(12), 'hex');

/** How the stand-in answers a query (its id and question echoed unless said). */
type Mode = 'ds' | 'truncated' | 'nodata' | 'wrong-id' | 'servfail' | 'silent';

function reply(query: Buffer, mode: Mode, overTcp: boolean): Buffer | undefined {
  const q = dnsPacket.decode(query);
  if (mode === 'silent') return undefined;
  const base = { type: 'response' as const, id: mode === 'wrong-id' ? ((q.id ?? 0) + 1) & 0xffff : q.id, questions: q.questions };
  const ds: dnsPacket.Answer[] = [
    { type: 'DS', name: ZONE.toUpperCase(), ttl: 120, data: { keyTag: 31589, algorithm: 13, digestType: 2, digest: DIGEST_A } },
    { type: 'DS', name: ZONE, ttl: 120, data: { keyTag: 4711, algorithm: 15, digestType: 4, digest: DIGEST_B } },
  ];
  switch (mode) {
    case 'ds':
    case 'wrong-id':
      return dnsPacket.encode({ ...base, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE, answers: ds });
    case 'truncated':
      return overTcp
        ? dnsPacket.encode({ ...base, flags: dnsPacket.RECURSION_DESIRED, answers: ds })
        : dnsPacket.encode({ ...base, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.TRUNCATED_RESPONSE });
    case 'nodata':
      return dnsPacket.encode({
        ...base,
        flags: dnsPacket.RECURSION_DESIRED,
        authorities: [
          {
            type: 'SOA',
            name: 'example.test',
            ttl: 300,
            data: { mname: 'ns.example.test', rname: 'h.example.test', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 60 },
          },
        ],
      });
    case 'servfail':
      return dnsPacket.encode({ ...base, flags: 2 });
  }
}

describe('queryParentDs against a stand-in resolver', () => {
  let udp: dgram.Socket;
  let tcp: net.Server;
  let port: number;
  let mode: Mode = 'ds';
  const asked: string[] = [];

  beforeAll(async () => {
    port = await freeDnsPort();
    udp = dgram.createSocket('udp4');
    udp.on('message', (msg, peer) => {
      asked.push(`udp rd=${(msg.readUInt16BE(2) & 0x0100) !== 0} ${JSON.stringify(dnsPacket.decode(msg).questions)}`);
      const out = reply(msg, mode, false);
      if (out) udp.send(out, peer.port, peer.address);
    });
    await new Promise<void>((resolve) => udp.bind(port, '127.0.0.1', resolve));
    tcp = net.createServer((socket) => {
      socket.once('data', (data) => {
        asked.push('tcp');
        const out = reply(data.subarray(2), mode, true);
        if (!out) return;
        const length = Buffer.alloc(2);
        length.writeUInt16BE(out.length);
        socket.end(Buffer.concat([length, out]));
      });
    });
    await new Promise<void>((resolve) => tcp.listen(port, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    udp.close();
    await new Promise((resolve) => tcp.close(resolve));
  });
  beforeEach(() => void asked.splice(0));

  test('the DS records at the zone name and their TTL, asked recursively', async () => {
    mode = 'ds';
    await expect(queryParentDs(ZONE, { host: '127.0.0.1', port })).resolves.toEqual({
      digests: [
        { keyTag: 31589, algorithm: 13, digestType: 2, digest: DIGEST_A.toString('hex') },
        { keyTag: 4711, algorithm: 15, digestType: 4, digest: DIGEST_B.toString('hex') },
      ],
      ttl: 120,
    });
    expect(asked).toEqual([`udp rd=true ${JSON.stringify([{ name: ZONE, type: 'DS', class: 'IN' }])}`]);
  });
  test('a truncated UDP reply is asked again over TCP', async () => {
    mode = 'truncated';
    const got = await queryParentDs(ZONE, { host: '127.0.0.1', port });
    expect(got.digests.map((d) => d.keyTag)).toEqual([31589, 4711]);
    expect(asked.map((a) => a.split(' ')[0])).toEqual(['udp', 'tcp']);
  });
  test('NODATA: no DS, the negative TTL (min of the SOA TTL and MINIMUM)', async () => {
    mode = 'nodata';
    await expect(queryParentDs(ZONE, { host: '127.0.0.1', port })).resolves.toEqual({ digests: [], ttl: 60 });
  });
  test.each<[Mode, RegExp]>([
    ['wrong-id', /answered another question than auth.example.test DS/],
    ['servfail', /answered auth.example.test DS with rcode 2/],
    ['silent', /no answer from the resolver at 127.0.0.1:\d+ within 300 ms/],
  ])('%s is an error', async (m, message) => {
    mode = m;
    await expect(queryParentDs(ZONE, { host: '127.0.0.1', port }, 300)).rejects.toThrow(message);
  });
});

test.each<[string, { host: string; port: number } | undefined]>([
  ['127.0.0.1', { host: '127.0.0.1', port: 53 }],
  ['127.0.0.1:5353', { host: '127.0.0.1', port: 5353 }],
  ['[::1]:5353', { host: '::1', port: 5353 }],
  ['::1', { host: '::1', port: 53 }],
  ['192.0.2.300', undefined],
  ['127.0.0.1:0', undefined],
  ['127.0.0.1:70000', undefined],
  ['resolver.example', undefined],
])('parseResolverAddress(%s)', (text, expected) => {
  expect(parseResolverAddress(text)).toEqual(expected);
});
