/**
 * The HTTPS side of the own-certificate tests: a server that takes certificates as the API will
 * (started on the first, swapped in place with setSecureContext after), and a verifying client
 * that keeps its connection open across a swap.
 */
import https from 'node:https';
import tls from 'node:tls';
import type { CertificatePair } from '../../src/acme';

/** The HTTPS server the API will be: started on the first certificate, swapped in place after. */
export class HttpsStandIn {
  server: https.Server | undefined;
  port = 0;
  readonly delivered: CertificatePair[] = [];
  async onCertificate(pair: CertificatePair): Promise<void> {
    this.delivered.push(pair);
    if (this.server) return this.server.setSecureContext({ key: pair.key, cert: pair.cert });
    const server = https.createServer({ key: pair.key, cert: pair.cert }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }
  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Opens a verified TLS connection as a client of the API would (pebble's root as the only trust). */
export function connect(port: number, root: string, servername: string): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername, ca: root }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** One HTTP/1.1 keep-alive request on an open socket. */
export function request(socket: tls.TLSSocket, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer): void => {
      text += d.toString();
      if (text.endsWith('ok')) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`);
  });
}
