/**
 * RFC 2136 clients for tests: a TSIG key added to a running daemon's store, and the real programs
 * (BIND's nsupdate, Knot's knsupdate) fed their commands on stdin. Nothing resolves through the
 * system: every script names the server and the zone.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { openSqliteStore } from '../../src/store';
import type { Store, TsigAlgorithm } from '../../src/store/types';
import type { Target } from './dns-client';

/** Every algorithm issue 10 names (RFC 8945 §6, and HMAC-MD5 for older clients). */
export const ALGORITHMS: readonly TsigAlgorithm[] = ['hmac-sha256', 'hmac-sha512', 'hmac-sha384', 'hmac-sha224', 'hmac-sha1', 'hmac-md5'];

/** A key as a client is given it. */
export interface ClientKey {
  /** Lower-case, without the final dot. */
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  /** Base64, as `-y` and the key files take it. */
  readonly secret: string;
}

/** A new random key for `username` stored through `store` (the daemon's database); its name is unique. */
export async function addKey(store: Pick<Store, 'addTsigKey'>, username: string, algorithm: TsigAlgorithm = 'hmac-sha256'): Promise<ClientKey> {
  const name = `k-${crypto.randomBytes(6).toString('hex')}.keys.example`;
  const secret = crypto.randomBytes(32);
  if (!(await store.addTsigKey(username, { name, algorithm, secret }, Math.floor(Date.now() / 1000)))) throw new Error(`no account ${username}`);
  return { name, algorithm, secret: secret.toString('base64') };
}

/** Opens the SQLite file a test daemon serves (a second connection), for adding keys and reading the audit. */
export function openDaemonStore(dbFile: string, zone = 'auth.example.org'): Store {
  return openSqliteStore({ file: dbFile, txt: { keep: 2, maxAgeSeconds: 0 }, zone });
}

/** What a client run printed and how it ended. */
export interface ClientRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How to run one update script. */
export interface ClientOptions {
  readonly server: Target;
  readonly key: ClientKey;
  /** The update commands (`update add ...`, `prereq ...`), without server, zone and send. */
  readonly commands: readonly string[];
  /** Over TCP (`-v`); default UDP. */
  readonly tcp?: boolean;
  /** The source address (`local`), any of 127/8. */
  readonly local?: string;
  readonly zone?: string;
}

function run(program: string, args: readonly string[], input: string): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** The script both programs read: server, optional local address, zone, the commands, send. */
function script(o: ClientOptions): string {
  return [
    `server ${o.server.address} ${o.server.port}`,
    ...(o.local === undefined ? [] : [`local ${o.local}`]),
    `zone ${o.zone ?? 'auth.example.org'}`,
    ...o.commands,
    'send',
    'quit',
    '',
  ].join('\n');
}

/** BIND's nsupdate with `-y alg:name:secret`: exit 0 when the server answered NOERROR. */
export function nsupdate(o: ClientOptions): Promise<ClientRun> {
  // -t: whole timeout, -u: UDP retry interval; failures are answered at once, these only bound a hang.
  return run('nsupdate', [...(o.tcp ? ['-v'] : []), '-t', '10', '-y', `${o.key.algorithm}:${o.key.name}:${o.key.secret}`], script(o));
}

/** Knot's knsupdate with `-y alg:name:secret`. */
export function knsupdate(o: ClientOptions): Promise<ClientRun> {
  return run('knsupdate', [...(o.tcp ? ['-v'] : []), '-t', '10', '-y', `${o.key.algorithm}:${o.key.name}:${o.key.secret}`], script(o));
}
