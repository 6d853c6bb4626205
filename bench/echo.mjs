// A bare Node UDP echo (issue 12): every datagram goes straight back to its sender. Pinned to the
// server's core and driven by the same dnsperf SOA file as our server, it is the most this
// runtime can answer on one core, so "SOA / echo" says how close our query path comes to it.
// dnsperf matches an answer by its ID and reads the rcode (0 here), so the echoed query counts.
//
// Usage: node bench/echo.mjs <port> [host]
import dgram from 'node:dgram';

const port = Number(process.argv[2]);
const host = process.argv[3] ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('usage: node bench/echo.mjs <port> [host]');
const socket = dgram.createSocket('udp4');
socket.on('message', (m, r) => socket.send(m, r.port, r.address));
socket.bind(port, host);
process.once('SIGTERM', () => socket.close());
