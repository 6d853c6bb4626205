/**
 * A bare knotd serving one zone from lines given by the test, on 127.0.0.1 and a free port (no
 * port 53, no topology), edited at run time through knotc transactions: for a test that needs an
 * authoritative server whose answers it changes (the parent's DS during a rollover). The loopback
 * topology's parent (knot.ts, on port 53 of its own address) is built the same way.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { rcodeOf, udpQuery, type Target } from '../support/dns-client';
import { freeDnsPort } from '../support/ports';
import { startManaged, waitUntilReady, type Managed } from './proc';
import { knotServerLines, knotZoneFileTemplate } from './knot-conf';

const run = promisify(execFile);

/** A running knotd and the edits a test makes to its zone. */
export interface KnotZone {
  readonly process: Managed;
  readonly target: Target;
  /** Adds one record (`data` as in a zone file) at `owner` (absolute, with the final dot) with `ttl`. */
  add(owner: string, ttl: number, type: string, data: string): Promise<void>;
  /** Removes the record of `type` at `owner` whose data is `data`. */
  remove(owner: string, type: string, data: string): Promise<void>;
  stop(): Promise<void>;
}

/** Writes the zone file and config under `dir` and starts knotd; resolves once it answers the SOA. */
export async function startKnotZone(options: { dir: string; zone: string; lines: readonly string[] }): Promise<KnotZone> {
  const dir = path.join(options.dir, 'knot-zone');
  fs.mkdirSync(path.join(dir, 'db'), { recursive: true });
  const conf = path.join(dir, 'knot.conf');
  const port = await freeDnsPort();
  fs.writeFileSync(path.join(dir, `${options.zone}.zone`), [`$ORIGIN ${options.zone}.`, ...options.lines, ''].join('\n'));
  fs.writeFileSync(
    conf,
    [
      ...knotServerLines(dir, `127.0.0.1@${port}`),
      ...knotZoneFileTemplate(dir),
      'zone:',
      `  - domain: ${options.zone}`,
      '',
    ].join('\n'),
  );
  const proc = startManaged('knotd (zone)', 'knotd', ['-c', conf]);
  const target = { address: '127.0.0.1', port };
  await waitUntilReady(proc, async () => rcodeOf(await udpQuery(target, { name: options.zone, type: 'SOA' })) === 'NOERROR');
  const transaction = async (change: string[]): Promise<void> => {
    const knotc = (...args: string[]): Promise<unknown> => run('knotc', ['-c', conf, ...args]);
    await knotc('zone-begin', options.zone);
    try {
      await knotc(...change);
      await knotc('zone-commit', options.zone);
    } catch (err) {
      await knotc('zone-abort', options.zone).catch(() => undefined);
      throw err;
    }
  };
  return {
    process: proc,
    target,
    add: (owner, ttl, type, data) => transaction(['zone-set', options.zone, owner, String(ttl), type, data]),
    remove: (owner, type, data) => transaction(['zone-unset', options.zone, owner, type, data]),
    stop: () => proc.stop(),
  };
}
