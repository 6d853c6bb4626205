/**
 * Standard secondaries of our zone on loopback (issue 10): a Knot DNS and an NSD, each in a
 * directory of its own on a free port, transferring from our server and taking its NOTIFY from
 * any loopback address (NOTIFY leaves from the address the kernel picks, README [transfer]).
 */
import fs from 'node:fs';
import path from 'node:path';
import { rcodeOf, udpQuery, type Target } from '../support/dns-client';
import type { TsigAlgorithm } from '../../src/store/zone-types';
import { startManaged, waitUntilReady, type Managed } from './proc';
import { knotServerLines } from './knot-conf';

/** A running secondary. */
export interface Secondary {
  readonly name: 'knot' | 'nsd';
  readonly process: Managed;
  /** Where it answers. */
  readonly target: Target;
  stop(): Promise<void>;
}

/** What a secondary is started with. */
export interface SecondaryOptions {
  readonly dir: string;
  readonly zone: string;
  /** Its own port on 127.0.0.1 (our `[transfer] secondaries` names it). */
  readonly port: number;
  /** Our server's TCP address (transfers) and UDP (the SOA checks). */
  readonly primary: Target;
  /** `[transfer] tsig_key`'s twin: transfers are requested signed with it and NOTIFY must be signed with it. */
  readonly key?: TransferKey;
  /** False: return once started, for a secondary expected never to get the zone (a wrong key). */
  readonly awaitZone?: boolean;
}

/** A TSIG key as both sides configure it. */
export interface TransferKey {
  /** Without the final dot. */
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  /** Base64. */
  readonly secret: string;
}

/** Waits until it serves the zone (it has transferred it once). */
async function ready(proc: Managed, target: Target, zone: string): Promise<void> {
  await waitUntilReady(proc, async () => rcodeOf(await udpQuery(target, { name: zone, type: 'SOA' })) === 'NOERROR', 30_000);
}

/** Started and, unless `awaitZone` is false, serving the zone. */
async function started(proc: Managed, options: SecondaryOptions, target: Target): Promise<void> {
  if (options.awaitZone !== false) await ready(proc, target, options.zone);
}

/**
 * knotd as a secondary: `master` our server, notify accepted from 127.0.0.0/8, IXFR first (its
 * default); with a key, the remote signs its transfers with it and the acl admits only NOTIFYs signed with it.
 */
export async function startKnotSecondary(options: SecondaryOptions): Promise<Secondary> {
  const dir = path.join(options.dir, 'knot-secondary');
  fs.mkdirSync(path.join(dir, 'db'), { recursive: true });
  const conf = path.join(dir, 'knot.conf');
  const { key } = options;
  fs.writeFileSync(
    conf,
    [
      ...knotServerLines(dir, `127.0.0.1@${options.port}`),
      ...(key ? ['key:', `  - id: ${key.name}`, `    algorithm: ${key.algorithm}`, `    secret: ${key.secret}`] : []),
      'remote:',
      '  - id: primary',
      `    address: ${options.primary.address}@${options.primary.port}`,
      ...(key ? [`    key: ${key.name}`] : []),
      'acl:',
      '  - id: notify-from-primary',
      '    address: 127.0.0.0/8',
      ...(key ? [`    key: ${key.name}`] : []),
      '    action: notify',
      'template:',
      '  - id: default',
      `    storage: "${dir}"`,
      '    file: "%s.zone"',
      '    zonefile-sync: -1',
      '    zonefile-load: none',
      '    journal-content: changes',
      'zone:',
      `  - domain: ${options.zone}`,
      '    master: primary',
      '    acl: notify-from-primary',
      '',
    ].join('\n'),
  );
  const proc = startManaged('knotd (secondary)', 'knotd', ['-c', conf]);
  const target = { address: '127.0.0.1', port: options.port };
  await started(proc, options, target);
  return { name: 'knot', process: proc, target, stop: () => proc.stop() };
}

/**
 * nsd as a secondary (`nsd -d`, no privilege drop, no chroot): request-xfr from our server,
 * allow-notify from 127.0.0.0/8, both NOKEY or, with a key, naming it.
 */
export async function startNsdSecondary(options: SecondaryOptions): Promise<Secondary> {
  const dir = path.join(options.dir, 'nsd-secondary');
  fs.mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'nsd.conf');
  const { key } = options;
  const keyName = key ? key.name : 'NOKEY';
  fs.writeFileSync(
    conf,
    [
      'server:',
      `    ip-address: 127.0.0.1@${options.port}`,
      '    username: ""',
      '    chroot: ""',
      `    zonesdir: "${dir}"`,
      '    database: ""',
      `    pidfile: "${dir}/nsd.pid"`,
      `    xfrdfile: "${dir}/xfrd.state"`,
      `    xfrdir: "${dir}"`,
      `    zonelistfile: "${dir}/zone.list"`,
      `    cookie-secret-file: "${dir}/cookiesecrets.txt"`,
      '    server-count: 1',
      '    verbosity: 2',
      'remote-control:',
      '    control-enable: no',
      ...(key ? ['key:', `    name: "${key.name}"`, `    algorithm: ${key.algorithm}`, `    secret: "${key.secret}"`] : []),
      'zone:',
      `    name: "${options.zone}"`,
      `    zonefile: "${options.zone}.zone"`,
      `    request-xfr: ${options.primary.address}@${options.primary.port} ${keyName}`,
      `    allow-notify: 127.0.0.0/8 ${keyName}`,
      '',
    ].join('\n'),
  );
  const proc = startManaged('nsd (secondary)', 'nsd', ['-d', '-c', conf]);
  const target = { address: '127.0.0.1', port: options.port };
  await started(proc, options, target);
  return { name: 'nsd', process: proc, target, stop: () => proc.stop() };
}
