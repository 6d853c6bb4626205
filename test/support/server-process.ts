import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Target } from './dns-client';

/** The built entry point the process tests run (`npm test` builds it first). */
export const MAIN = path.resolve(__dirname, '..', '..', 'dist', 'main.js');

/** Fails early with the fix when the build is missing. */
export function ensureBuilt(): void {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" (npm test does it)`);
}

/** A server running as its own process, as an operator runs it. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly api: string;
  readonly dns: Target;
  readonly tcp: Target;
  /** Everything the process wrote so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<number | NodeJS.Signals>;
}

/** Runs `acmedns <args>` to completion; resolves with its exit code and output. */
export function runCli(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  ensureBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Starts `acmedns serve -c <configFile>` (the config must log JSON) and waits for its
 * "acmedns started" line, which names the bound addresses.
 */
export function startServerProcess(configFile: string, timeoutMs = 15000): Promise<ServerProcess> {
  ensureBuilt();
  const child = spawn(process.execPath, [MAIN, 'serve', '-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer): void => {
      out += d.toString();
      for (const line of out.split('\n')) {
        if (!line.includes('acmedns started')) continue;
        const started = JSON.parse(line) as { api: string; udp: string[]; tcp: string[] };
        clearTimeout(timer);
        resolve({
          child,
          api: started.api,
          dns: splitHostPort(started.udp[0] ?? ''),
          tcp: splitHostPort(started.tcp[0] ?? ''),
          output: () => out,
          exited,
        });
        return;
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before starting:\n${out}`));
    });
  });
}

function splitHostPort(hostPort: string): Target {
  const i = hostPort.lastIndexOf(':');
  return { address: hostPort.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(hostPort.slice(i + 1)) };
}
