/**
 * Runs an external client (lego, certbot, a hook) in a private mount namespace whose
 * /etc/resolv.conf names only the topology's unbound: lego resolves name-server host names and
 * certbot the CA's through the system resolver, and no query may leave loopback.
 */
import { spawn } from 'node:child_process';

/** What a client run produced. */
export interface ClientRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of one isolated run. */
export interface IsolatedOptions {
  /** A resolv.conf file naming the topology's resolver. */
  readonly resolvConf: string;
  /** The whole environment of the client (PATH is added). */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly input?: string;
  /** Killed after this long (a hung client must not hang the suite). */
  readonly timeoutMs?: number;
}

/** `unshare --mount`, bind the resolv.conf over /etc/resolv.conf, then exec the client. */
export function runIsolated(command: string, args: string[], options: IsolatedOptions): Promise<ClientRun> {
  const script = 'mount --bind "$0" /etc/resolv.conf && exec "$@"';
  const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, options.resolvConf, command, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${options.timeoutMs} ms]\n`;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 180_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
