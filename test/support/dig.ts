/**
 * `dig` and `kdig` (Debian's bind9-dnsutils, knot-dnsutils) as real transfer clients: run with a
 * server and arguments, the output's records read back (`+noall +answer` style lines).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Target } from './dns-client';

const run = promisify(execFile);

/** What a dig run printed. */
export interface DigRun {
  readonly stdout: string;
  readonly stderr: string;
  /** The exit code (dig exits 0 also for REFUSED; kdig exits 1 on an error rcode). */
  readonly code: number;
}

/** One record line of the output: owner, TTL, class, type, the data as printed. */
export interface DigRecord {
  readonly name: string;
  readonly type: string;
  readonly data: string;
}

/** Runs `tool` (`dig` or `kdig`) at `target` with `args`; never rejects on a non-zero exit. */
export async function dig(tool: 'dig' | 'kdig', target: Target, args: readonly string[]): Promise<DigRun> {
  const server = tool === 'dig' ? ['@' + target.address, '-p', String(target.port)] : ['@' + target.address, '-p', String(target.port)];
  try {
    const { stdout, stderr } = await run(tool, [...server, ...args], { timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** The record lines of an output (comments and blank lines skipped). */
export function digRecords(stdout: string): DigRecord[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith(';'))
    .map((line) => {
      const [name = '', , , type = '', ...rest] = line.trim().split(/\s+/);
      return { name: name.toLowerCase(), type, data: rest.join(' ') };
    });
}

/** The serial of a printed SOA record's data (`mname rname serial refresh ...`). */
export function soaSerial(record: DigRecord): number {
  return Number(record.data.split(/\s+/)[2]);
}
