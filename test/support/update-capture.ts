/**
 * What a real RFC 2136 client (nsupdate, knsupdate) sends, caught on a UDP socket on 127.0.0.1:
 * the first datagram, exactly as signed. Lets a test check a key's settings with the program itself
 * (its key file parsed, its TSIG computed) without a server that answers UPDATE.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** Replaces `{port}` in `commands` with the capture socket's port and runs `program args` with them on stdin. */
export function captureUpdate(program: string, args: readonly string[], commands: (port: number) => string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const fail = (err: Error): void => {
      socket.close();
      reject(err);
    };
    socket.once('error', fail);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address() as AddressInfo;
      const child = spawn(program, [...args], { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('error', fail);
      // Without a datagram the program gives up on its own (no answer, or a key it could not read).
      child.once('exit', (code) => fail(new Error(`${program} exited (${code}) before sending: ${stderr}`)));
      socket.once('message', (msg) => {
        child.removeAllListeners('exit');
        child.kill('SIGKILL');
        socket.close();
        resolve(msg);
      });
      child.stdin.end(commands(port));
    });
  });
}
