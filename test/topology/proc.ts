/**
 * Child processes of a topology: output kept for failure messages, stopped with SIGTERM then
 * SIGKILL, and killed on process exit as a last resort so no daemon outlives the test run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** A started daemon. */
export interface Managed {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr interleaved). */
  output(): string;
  /** True once it has exited. */
  exited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** Starts `command` with `args`; the environment is exactly `env` plus PATH. */
export function startManaged(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Managed {
  installExitHook();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, ...env } });
  let out = '';
  let done = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      running.delete(child);
      out += `\n[${name} exited: ${code ?? signal}]\n`;
      resolve();
    });
    child.once('error', (err) => {
      done = true;
      running.delete(child);
      out += `\n[${name} failed to start: ${err.message}]\n`;
      resolve();
    });
  });
  running.add(child);
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return {
    name,
    child,
    output: () => out,
    exited: () => done,
    async stop(graceMs = 3000) {
      if (done) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls `ready` until it returns true. When the process exits or is not ready in time, it is
 * stopped and the error carries its output.
 */
export async function waitUntilReady(proc: Managed, ready: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (proc.exited()) throw new Error(`${proc.name} exited while starting:\n${proc.output()}`);
    try {
      if (await ready()) return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await sleep(100);
  }
  await proc.stop();
  throw new Error(`${proc.name} not ready after ${timeoutMs} ms (${lastError}):\n${proc.output().slice(-3000)}`);
}
