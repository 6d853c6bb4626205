/**
 * A stand-in authoritative server for our zone, used ONLY while the daemon's DNS server cannot yet
 * answer the server's own challenge (`_acme-challenge.<name>` from store.challengeValues). It serves
 * exactly what the topology needs over UDP: SOA/NS/A at the apex, the NS host's A, and TXT from
 * the store (own challenges, then account values); everything else NXDOMAIN/NODATA, out of zone
 * REFUSED. Replaced by the real daemon in phase 2.
 */
import dgram from 'node:dgram';
import * as packet from 'dns-packet';
import type { Store } from '../../src/store';

/** A running stand-in. */
export interface MiniAuth {
  close(): Promise<void>;
}

/** Serves `zone` from `store` on `address`:`port`. */
export async function startMiniAuth(options: { address: string; port: number; zone: string; nsName: string; store: Store }): Promise<MiniAuth> {
  const zone = options.zone.toLowerCase();
  const soa: packet.Answer = {
    type: 'SOA', name: zone, ttl: 60, class: 'IN',
    data: { mname: options.nsName, rname: `hostmaster.${zone}`, serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 1 },
  };
  const socket = dgram.createSocket('udp4');

  const answer = async (q: packet.Question): Promise<{ rcode: string; answers: packet.Answer[]; authorities: packet.Answer[] }> => {
    const name = q.name.toLowerCase();
    if (name !== zone && !name.endsWith(`.${zone}`)) return { rcode: 'REFUSED', answers: [], authorities: [] };
    if (name === zone) {
      if (q.type === 'SOA') return { rcode: 'NOERROR', answers: [{ ...soa, name: q.name }], authorities: [] };
      if (q.type === 'NS') return { rcode: 'NOERROR', answers: [{ name: q.name, type: 'NS', ttl: 60, data: options.nsName }], authorities: [] };
      if (q.type === 'A') return { rcode: 'NOERROR', answers: [{ name: q.name, type: 'A', ttl: 60, data: options.address }], authorities: [] };
      return { rcode: 'NOERROR', answers: [], authorities: [soa] };
    }
    if (name === options.nsName.toLowerCase()) {
      return q.type === 'A'
        ? { rcode: 'NOERROR', answers: [{ name: q.name, type: 'A', ttl: 60, data: options.address }], authorities: [] }
        : { rcode: 'NOERROR', answers: [], authorities: [soa] };
    }
    const now = Math.floor(Date.now() / 1000);
    const own = await options.store.challengeValues(name, now);
    const label = name.slice(0, -(zone.length + 1));
    const account = label.includes('.') ? undefined : await options.store.lookup(label, now);
    const values = [...own, ...(account?.values ?? [])];
    if (own.length === 0 && !account) return { rcode: 'NXDOMAIN', answers: [], authorities: [soa] };
    if (q.type !== 'TXT' || values.length === 0) return { rcode: 'NOERROR', answers: [], authorities: [soa] };
    return { rcode: 'NOERROR', answers: values.map((v): packet.Answer => ({ name: q.name, type: 'TXT', ttl: 1, data: [v] })), authorities: [] };
  };

  socket.on('message', (msg, peer) => {
    void (async () => {
      let query: packet.Packet;
      try {
        query = packet.decode(msg);
      } catch {
        return;
      }
      const question = query.questions?.[0];
      if (!question) return;
      const result = await answer(question).catch(() => ({ rcode: 'SERVFAIL', answers: [], authorities: [] }));
      const reply = packet.encode({
        type: 'response',
        id: query.id ?? 0,
        // QR, AA (RFC 1035 §4.1.1), RD copied, rcode set below.
        flags: packet.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & packet.RECURSION_DESIRED),
        questions: [question],
        answers: result.answers,
        authorities: result.authorities,
      });
      const codes: Record<string, number> = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };
      reply.writeUInt16BE((reply.readUInt16BE(2) & 0xfff0) | (codes[result.rcode] ?? 2), 2);
      socket.send(reply, peer.port, peer.address);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, options.address, () => resolve());
  });
  return { close: () => new Promise((resolve) => socket.close(() => resolve())) };
}
