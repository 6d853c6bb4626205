// Child processes: servers pinned to a core (started, awaited, stopped) and one-shot commands.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { onCleanup } from './cleanup.mjs';

const TAIL_BYTES = 4096;

/** Keeps the last few KiB a stream wrote, for error messages. */
function tailOf(stream) {
  let tail = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    tail = (tail + chunk).slice(-TAIL_BYTES);
  });
  return () => tail;
}

/**
 * Starts a long-running server as `taskset -c <core> cmd args` (taskset execs, so the pid is the
 * server's own and SIGTERM reaches it). Returns { child, exited, output(), stop() }; stop() is
 * registered for cleanup and escalates to SIGKILL after 5 s.
 */
export function startPinned(label, core, cmd, args, options = {}) {
  const child = spawn(options.taskset ?? 'taskset', ['-c', String(core), cmd, ...args], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = tailOf(child.stdout);
  const err = tailOf(child.stderr);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (e) => resolve({ code: null, signal: null, error: e }));
  });
  const output = () => `${out()}${err()}`.trim();
  const stop = async () => {
    dropCleanup();
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const dropCleanup = onCleanup(stop);
  return { label, child, exited, output, stop };
}

/**
 * Runs a command to its end and collects stdout/stderr; the child is killed on cleanup.
 * Resolves { code, stdout, stderr } whatever the exit code. With `stdoutFile`, stdout goes
 * straight to that file (read back at the end), so we do not wake up for every line it prints.
 */
export function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const fd = options.stdoutFile ? fs.openSync(options.stdoutFile, 'w') : undefined;
    const child = spawn(cmd, args, { cwd: options.cwd, stdio: ['ignore', fd ?? 'pipe', 'pipe'] });
    if (fd !== undefined) fs.closeSync(fd);
    const dropCleanup = onCleanup(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const chunks = [];
    let stderr = '';
    child.stdout?.on('data', (c) => chunks.push(c));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.once('error', (e) => {
      dropCleanup();
      reject(e);
    });
    child.once('close', (code) => {
      dropCleanup();
      const stdout = fd !== undefined ? fs.readFileSync(options.stdoutFile, 'utf8') : Buffer.concat(chunks).toString('utf8');
      resolve({ code, stdout, stderr });
    });
  });
}

/** Waits until `check()` resolves true, polling; fails early when the server process exits. */
export async function waitReady(server, check, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  server.exited.then(() => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`${server.label} exited during start-up:\n${server.output()}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(`${server.label} not ready after ${timeoutMs / 1000} s:\n${server.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
