/**
 * Runs a shell snippet of the client settings as a user would paste it, with stand-ins for the
 * clients it calls: each stand-in prints its name, its arguments and ACMEDNS_URL, NUL-separated,
 * so a test sees exactly the words the shell made of the quoted text.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The commands the snippets call; the stand-ins take their places on PATH. */
const STANDS_IN_FOR = ['lego', 'acme.sh', 'certbot', 'python3'];

/** A folder with the stand-ins; remove() deletes it. */
export interface ShellSandbox {
  readonly dir: string;
  /** PATH with the stand-ins first. */
  readonly path: string;
  /** `bash -n` on the text, then sources it and prints the named variables; the NUL-separated output. */
  run(text: string, variables: readonly string[]): string[];
  remove(): void;
}

/** Creates a sandbox in a new temporary folder. */
export function shellSandbox(): ShellSandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shell-snippet-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  for (const name of STANDS_IN_FOR) {
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\nprintf '%s\\0' CALL "$(basename "$0")" "$@" URL "$ACMEDNS_URL"\n`, { mode: 0o755 });
  }
  const PATH = `${bin}:/usr/bin:/bin`;
  return {
    dir,
    path: PATH,
    run(text, variables) {
      const file = path.join(dir, 'snippet.sh');
      fs.writeFileSync(file, text);
      // --norc and no stdin: bash reads ~/.bashrc when its stdin looks like a remote shell's socket.
      execFileSync('bash', ['--norc', '-n', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      const print = variables.map((v) => `"$${v}"`).join(' ');
      const out = execFileSync('bash', ['--norc', '-c', `. "$1"; printf '%s\\0' VARS ${print}`, 'snippet', file], {
        env: { PATH },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return out.split('\0').slice(0, -1);
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The arguments the stand-in `name` got, from a run's output. */
export function callArgs(out: readonly string[], name: string): string[] {
  const start = out.indexOf(name, out.indexOf('CALL'));
  return out.slice(start + 1, out.indexOf('URL', start));
}

/** The values of the variables a run printed, in the order asked for. */
export function printedVariables(out: readonly string[]): string[] {
  return out.slice(out.indexOf('VARS') + 1);
}
