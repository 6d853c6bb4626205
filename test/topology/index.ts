/**
 * The real-client test topology, all on loopback: knot (parent zone example.test delegating
 * auth.example.test to our server), unbound (the resolver, 0x20 on, no way off loopback) and
 * pebble (the CA, validating through that unbound). Tests start it, run our server on
 * `addresses.acmedns`:53, and run external clients through `runClient` (private resolv.conf).
 * `stop()` ends every process and removes the temp dir, also after a failed start.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reserveAddresses, type TopologyAddresses } from './addresses';
import { runIsolated, type ClientRun, type IsolatedOptions } from './isolated';
import { PARENT_ZONE, startKnot, type Knot } from './knot';
import { createPebble, type Pebble } from './pebble';
import { startUnbound, type Unbound } from './unbound';

export { PARENT_ZONE } from './knot';
export type { ClientRun } from './isolated';
export type { Pebble } from './pebble';

/** Our zone, delegated from example.test. */
export const ZONE = `auth.${PARENT_ZONE}`;
/** Our name server's host name (glue in the parent). */
export const NS_NAME = `ns.${ZONE}`;
/** The second instance's name server name (`secondNameServer`), glue `addresses.acmedns2`. */
export const NS2_NAME = `ns2.${ZONE}`;

/** A running topology. */
export interface Topology {
  readonly dir: string;
  readonly addresses: TopologyAddresses;
  readonly knot: Knot;
  readonly unbound: Unbound;
  readonly pebble: Pebble;
  /** With `dnssec`: example.test's DS lines, unbound's trust anchor (and delv's, test/support/delv.ts). */
  readonly trustAnchor?: readonly string[] | undefined;
  /** A resolv.conf naming only unbound. */
  readonly resolvConf: string;
  /** Runs an external client in a mount namespace that sees only our resolver. */
  runClient(command: string, args: string[], options?: Omit<IsolatedOptions, 'resolvConf'>): Promise<ClientRun>;
  /** Every process's output, for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

const BINARIES = ['knotd', 'knotc', 'unbound', 'pebble', 'unshare', 'mount', 'openssl'];

/** Why the topology cannot run here (not root, a package missing), or undefined when it can. */
export function topologySkipReason(extraBinaries: readonly string[] = []): string | undefined {
  if (process.getuid?.() !== 0) return 'the real-client topology needs root (port 53 on loopback addresses, mount namespaces)';
  const missing = [...BINARIES, ...extraBinaries].filter((bin) => {
    try {
      execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  return missing.length > 0 ? `missing programs: ${missing.join(', ')} (scripts/test installs the Debian packages)` : undefined;
}

/** How a topology differs from the default (unsigned parent, one name server, pebble running). */
export interface TopologyOptions {
  readonly startPebble?: boolean;
  readonly pebbleEabKeys?: Record<string, string>;
  /** The parent delegates our zone to two name servers, `addresses.acmedns` and `addresses.acmedns2`. */
  readonly secondNameServer?: boolean;
  /** knot signs example.test and unbound validates with its DS as trust anchor (issue 11). */
  readonly dnssec?: boolean;
}

/** Starts knot, unbound and (unless `startPebble` is false) pebble. */
export async function startTopology(options: TopologyOptions = {}): Promise<Topology> {
  const addresses = reserveAddresses();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-topology-'));
  const stops: (() => Promise<void>)[] = [];
  const outputs: (() => string)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    addresses.release();
  };
  try {
    const knot = await startKnot({
      dir,
      address: addresses.knot,
      childZone: ZONE,
      childNs: NS_NAME,
      childNsAddress: addresses.acmedns,
      ...(options.secondNameServer ? { extraChildNs: [{ name: NS2_NAME, address: addresses.acmedns2 }] } : {}),
      signed: options.dnssec ?? false,
    });
    stops.push(() => knot.stop());
    outputs.push(() => knot.process.output());
    const trustAnchor = options.dnssec ? await knot.trustAnchor() : undefined;
    const unbound = await startUnbound({
      dir,
      address: addresses.unbound,
      rootStub: addresses.knot,
      parentZone: PARENT_ZONE,
      probeName: `ns.${PARENT_ZONE}`,
      ...(trustAnchor ? { trustAnchors: trustAnchor } : {}),
    });
    stops.push(() => unbound.stop());
    outputs.push(() => unbound.process.output());
    const pebble = await createPebble({
      dir,
      address: addresses.pebble,
      resolver: addresses.unbound,
      start: options.startPebble ?? true,
      ...(options.pebbleEabKeys ? { eabKeys: options.pebbleEabKeys } : {}),
    });
    stops.push(() => pebble.stop());
    outputs.push(() => pebble.output());
    const resolvConf = path.join(dir, 'resolv.conf');
    fs.writeFileSync(resolvConf, `nameserver ${addresses.unbound}\noptions attempts:2 timeout:2\n`);
    let stopping: Promise<void> | undefined;
    return {
      dir,
      addresses,
      knot,
      unbound,
      pebble,
      trustAnchor,
      resolvConf,
      runClient: (command, args, runOptions = {}) => runIsolated(command, args, { ...runOptions, resolvConf }),
      output: () => outputs.map((o) => o()).join('\n'),
      stop: () => (stopping ??= stopAll()),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
