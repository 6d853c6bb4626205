// A UDP client asking one name's TXT records, one question at a time (propagation, secondaries).
import dgram from 'node:dgram';
import { QTYPE, encodeQuery } from './net.mjs';

/** A query not answered within this long is counted as unanswered and asked again. */
export const QUERY_TIMEOUT_MS = 1000;

/**
 * One UDP socket asking host:port for TXT records, one question at a time; ask() resolves the raw
 * answer (or null after QUERY_TIMEOUT_MS, so a lost datagram only costs a retry).
 */
export async function txtAsker(host, port, name) {
  const sock = dgram.createSocket('udp4');
  await new Promise((resolve) => sock.bind(0, '127.0.0.1', resolve));
  let id = 0;
  let pending;
  sock.on('message', (msg) => {
    if (pending && msg.length >= 12 && msg.readUInt16BE(0) === pending.id) pending.resolve(msg);
  });
  return {
    ask() {
      id = (id + 1) & 0xffff;
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), QUERY_TIMEOUT_MS);
        pending = { id, resolve: (msg) => { clearTimeout(timer); pending = undefined; resolve(msg); } };
        sock.send(encodeQuery(id, name, QTYPE.TXT), port, host);
      });
    },
    close: () => new Promise((resolve) => sock.close(resolve)),
  };
}

