/**
 * `delv` (Debian's bind9-dnsutils) as an independent validator: it asks a resolver with CD set,
 * fetches the DNSKEYs and DSes itself and checks every signature up to the trust anchor it is
 * given, then says "fully validated" (a secure answer, or a secure negative one) or why not.
 * Our answers are thus checked by BIND's validator as well as by unbound's.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Target } from './dns-client';

const run = promisify(execFile);

/** What one delv run printed. */
export interface DelvRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
  /** delv's verdict line: "; fully validated" or "; negative response, fully validated". */
  readonly fullyValidated: boolean;
  /** The verdict was about a negative answer (NXDOMAIN or NODATA). */
  readonly negative: boolean;
}

/**
 * `delv @<resolver> -a <file> +root=<anchor zone> <name> <type>`, the anchor file made from DS
 * lines (`<zone>. DS <tag> <alg> <digest type> <hex>`, as `keymgr ds` or `acmedns dnssec ds`
 * print them) in BIND's `trust-anchors { <zone> static-ds ...; };` form. +root names the zone
 * the anchor is for: without it delv wants the root's key.
 */
export async function delv(resolver: Target, anchors: readonly string[], name: string, type: string): Promise<DelvRun> {
  const parsed = anchors.map((line) => {
    const m = /^(\S+?)\.?\s+(?:\d+\s+)?(?:IN\s+)?DS\s+(\d+)\s+(\d+)\s+(\d+)\s+([0-9A-Fa-f\s]+)$/i.exec(line.trim());
    if (!m) throw new Error(`not a DS line: ${line}`);
    return { zone: m[1] ?? '', entry: `  ${m[1]}. static-ds ${m[2]} ${m[3]} ${m[4]} "${(m[5] ?? '').replace(/\s+/g, '')}";` };
  });
  const zone = parsed[0]?.zone;
  if (!zone) throw new Error('delv needs a trust anchor');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-delv-'));
  const file = path.join(dir, 'anchors.conf');
  fs.writeFileSync(file, `trust-anchors {\n${parsed.map((p) => p.entry).join('\n')}\n};\n`);
  const args = [`@${resolver.address}`, '-p', String(resolver.port), '-a', file, `+root=${zone}`, name, type];
  try {
    const { stdout, stderr } = await run('delv', args, { timeout: 30_000 });
    return verdict(stdout, stderr, 0);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return verdict(e.stdout ?? '', e.stderr ?? '', typeof e.code === 'number' ? e.code : 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function verdict(stdout: string, stderr: string, code: number): DelvRun {
  const line = stdout.split('\n').find((l) => /^; .*validated|^; unsigned|^;; resolution failed/.test(l)) ?? '';
  return {
    stdout,
    stderr,
    code,
    fullyValidated: /^; (negative response, )?fully validated$/.test(line),
    negative: line.startsWith('; negative response'),
  };
}
