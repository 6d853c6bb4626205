// Loopback helpers: free ports and a one-question DNS probe (readiness), without any library
// or the system resolver.
import dgram from 'node:dgram';
import net from 'node:net';

/** A port that is free for both UDP and TCP on 127.0.0.1 right now (DNS listens on both). */
export async function freePort() {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const { port: p } = srv.address();
        srv.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise((resolve) => {
      const sock = dgram.createSocket('udp4');
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free loopback port found');
}

/**
 * Encodes a minimal query (RFC 1035 §4.1): RD clear, one question, class IN; with `dnssec` an
 * OPT record (RFC 6891, 1232 bytes) with the DO bit (RFC 3225 §3).
 */
export function encodeQuery(id, name, qtype, dnssec = false) {
  const labels = name.replace(/\.$/, '').split('.');
  const parts = [Buffer.from([id >> 8, id & 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, dnssec ? 1 : 0])];
  for (const l of labels) parts.push(Buffer.from([l.length]), Buffer.from(l, 'ascii'));
  parts.push(Buffer.from([0, qtype >> 8, qtype & 0xff, 0, 1]));
  // Root owner, type OPT (41), class = UDP size 1232, TTL = ext-rcode 0, version 0, flags DO (0x8000), no RDATA.
  if (dnssec) parts.push(Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0]));
  return Buffer.concat(parts);
}

/** DNS type numbers the bench asks for. */
export const QTYPE = { A: 1, SOA: 6, TXT: 16 };

/**
 * Sends one UDP query to host:port (loopback, default 127.0.0.1), with DO when `dnssec`, and
 * resolves { rcode, ancount, message } of the matching answer, or rejects after timeoutMs.
 */
export function dnsQuery(port, name, qtype, timeoutMs = 500, host = '127.0.0.1', dnssec = false) {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    const id = Math.floor(Math.random() * 0x10000);
    const done = (fn, v) => {
      clearTimeout(timer);
      sock.close();
      fn(v);
    };
    const timer = setTimeout(() => done(reject, new Error(`no DNS answer from port ${port}`)), timeoutMs);
    sock.on('error', (e) => done(reject, e));
    sock.on('message', (msg) => {
      if (msg.length < 12 || msg.readUInt16BE(0) !== id) return;
      done(resolve, { rcode: msg[3] & 0x0f, ancount: msg.readUInt16BE(6), message: msg });
    });
    sock.send(encodeQuery(id, name, qtype, dnssec), port, host);
  });
}
