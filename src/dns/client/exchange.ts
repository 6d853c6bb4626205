/**
 * One DNS message out and its reply back, over UDP or TCP (RFC 1035 §4.2, RFC 7766 §8 framing),
 * for the two clients that ask a DNS server themselves rather than answer one: the self-query (our
 * own answer, before the CA is told to validate) and the parent DS lookup (`acmedns dnssec`).
 * These and the transports are the only socket code under dns/ (DESIGN rule 1).
 */
import dgram from 'node:dgram';
import net from 'node:net';

/** Where a query goes. */
export interface ExchangeTarget {
  readonly host: string;
  readonly port: number;
}

function familyOf(host: string): 4 | 6 {
  return net.isIPv6(host) ? 6 : 4;
}

/** The error of an exchange that timed out, whichever transport. */
function noAnswer(target: ExchangeTarget, timeoutMs: number, who: string): Error {
  return new Error(`no answer from ${who} at ${target.host}:${target.port} within ${timeoutMs} ms`);
}

/** Sends `query` by UDP and resolves with the first datagram from the address asked; `who` names it in errors. */
export function exchangeUdp(target: ExchangeTarget, query: Buffer, timeoutMs: number, who: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(familyOf(target.host) === 6 ? 'udp6' : 'udp4');
    const done = (err: Error | undefined, msg?: Buffer): void => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(msg as Buffer);
    };
    const timer = setTimeout(() => done(noAnswer(target, timeoutMs, who)), timeoutMs);
    socket.once('error', (err) => done(err));
    // Only the address we asked may answer (a spoofed datagram from elsewhere is ignored).
    socket.on('message', (msg, peer) => {
      if (peer.port === target.port && peer.address === target.host) done(undefined, msg);
    });
    socket.send(query, target.port, target.host);
  });
}

/** Sends `query` over a new TCP connection (two-octet length prefix) and resolves with the reply. */
export function exchangeTcp(target: ExchangeTarget, query: Buffer, timeoutMs: number, who: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port });
    let received = Buffer.alloc(0);
    let settled = false;
    const done = (err: Error | undefined, msg?: Buffer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(msg as Buffer);
    };
    const timer = setTimeout(() => done(noAnswer(target, timeoutMs, who)), timeoutMs);
    socket.once('error', (err) => done(err));
    socket.once('close', () => done(new Error(`${who} at ${target.host}:${target.port} closed the connection before answering`)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) done(undefined, received.subarray(2, 2 + received.readUInt16BE(0)));
    });
    const length = Buffer.alloc(2);
    length.writeUInt16BE(query.length);
    socket.write(Buffer.concat([length, query]));
  });
}
