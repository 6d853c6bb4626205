/**
 * knot serving the parent zone `example.test`: it delegates our zone to our server with glue and
 * holds the users' `_acme-challenge.<name> CNAME <account fulldomain>` records, changed at run
 * time through knotc transactions as an operator would. With `signed`, knot signs example.test
 * itself (automatic signing, knot-signing.ts) and can hold a DS for our zone.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { rcodeOf, udpQuery } from '../support/dns-client';
import { parentTrustAnchor, SIGNING_POLICY, signingZoneLines } from './knot-signing';
import { startManaged, waitUntilReady, type Managed } from './proc';
import { knotServerLines, knotZoneFileTemplate } from './knot-conf';

const run = promisify(execFile);

/** The parent zone and the names in it. */
export const PARENT_ZONE = 'example.test';

/** A running knot and the way to edit its zone. */
export interface Knot {
  readonly process: Managed;
  /** Adds `owner` (relative to example.test or absolute with a dot) CNAME `target`. */
  setCname(owner: string, target: string): Promise<void>;
  /** Removes every record of `type` at `owner`. */
  remove(owner: string, type: string): Promise<void>;
  /** Adds one record (`data` as in a zone file, absolute names with a dot) at `owner`. */
  addRecord(owner: string, type: string, data: string): Promise<void>;
  /** Removes the one record of `type` at `owner` whose data is `data`, leaving the rest of the set. */
  removeRecord(owner: string, type: string, data: string): Promise<void>;
  /**
   * Replaces the DS RRset at `owner` by `records` (`<tag> <alg> <digest type> <hex>` each, or whole
   * `<owner>. DS ...` lines as `acmedns dnssec ds` prints them) in one transaction; none removes it.
   */
  setDs(owner: string, records: readonly string[], ttl?: number): Promise<void>;
  /** Signed knot only: the DS lines of example.test's key (the validators' trust anchor). */
  trustAnchor(): Promise<string[]>;
  stop(): Promise<void>;
}

/** A further name server of our zone, with its glue address (several instances). */
export interface ExtraNameServer {
  readonly name: string;
  readonly address: string;
}

/** Writes the config and the zone and starts knotd in the foreground. */
export async function startKnot(options: {
  dir: string;
  address: string;
  childZone: string;
  childNs: string;
  childNsAddress: string;
  extraChildNs?: readonly ExtraNameServer[];
  /** Sign example.test (automatic signing, ECDSA P-256, NSEC). */
  signed?: boolean;
}): Promise<Knot> {
  const dir = path.join(options.dir, 'knot');
  fs.mkdirSync(path.join(dir, 'db'), { recursive: true });
  const conf = path.join(dir, 'knot.conf');
  const relativeChild = options.childZone.slice(0, -(PARENT_ZONE.length + 1));
  const relativeNs = options.childNs.slice(0, -(PARENT_ZONE.length + 1));
  fs.writeFileSync(
    path.join(dir, `${PARENT_ZONE}.zone`),
    [
      `$ORIGIN ${PARENT_ZONE}.`,
      '$TTL 60',
      // SOA minimum 1: negative answers are not cached (RFC 2308 §5), like the resolver's settings.
      `@ SOA ns.${PARENT_ZONE}. hostmaster.${PARENT_ZONE}. 1 3600 600 86400 1`,
      '@ NS ns',
      `ns A ${options.address}`,
      // The delegation of our zone, with glue (RFC 1034 §4.2.1): no DS, so it is unsigned.
      `${relativeChild} NS ${relativeNs}`,
      `${relativeNs} A ${options.childNsAddress}`,
      ...(options.extraChildNs ?? []).flatMap((ns) => [`${relativeChild} NS ${ns.name}.`, `${ns.name}. A ${ns.address}`]),
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    conf,
    [
      ...knotServerLines(dir, `${options.address}@53`),
      ...knotZoneFileTemplate(dir),
      ...(options.signed ? SIGNING_POLICY : []),
      'zone:',
      `  - domain: ${PARENT_ZONE}`,
      ...(options.signed ? signingZoneLines : []),
      '',
    ].join('\n'),
  );
  const proc = startManaged('knotd', 'knotd', ['-c', conf]);
  await waitUntilReady(proc, async () => rcodeOf(await udpQuery({ address: options.address, port: 53 }, { name: PARENT_ZONE, type: 'SOA' })) === 'NOERROR');

  const knotc = async (...args: string[]): Promise<void> => {
    await run('knotc', ['-c', conf, ...args]);
  };
  /** Runs `changes` between zone-begin and zone-commit; an `optional` change may fail (nothing to unset). */
  const transaction = async (...changes: (string[] | { optional: string[] })[]): Promise<void> => {
    await knotc('zone-begin', PARENT_ZONE);
    try {
      for (const change of changes) {
        if (Array.isArray(change)) await knotc(...change);
        else await knotc(...change.optional).catch(() => undefined);
      }
      await knotc('zone-commit', PARENT_ZONE);
    } catch (err) {
      await knotc('zone-abort', PARENT_ZONE).catch(() => undefined);
      throw err;
    }
  };
  return {
    process: proc,
    setCname: (owner, target) => transaction(['zone-set', PARENT_ZONE, owner, '60', 'CNAME', target.endsWith('.') ? target : `${target}.`]),
    remove: (owner, type) => transaction(['zone-unset', PARENT_ZONE, owner, type]),
    addRecord: (owner, type, data) => transaction(['zone-set', PARENT_ZONE, owner, '60', type, data]),
    removeRecord: (owner, type, data) => transaction(['zone-unset', PARENT_ZONE, owner, type, data]),
    setDs: (owner, records, ttl = 60) =>
      transaction(
        { optional: ['zone-unset', PARENT_ZONE, owner, 'DS'] },
        ...records.map((r) => ['zone-set', PARENT_ZONE, owner, String(ttl), 'DS', r.replace(/^\S+\.\s+(?:\d+\s+)?(?:IN\s+)?DS\s+/i, '')]),
      ),
    trustAnchor: () => parentTrustAnchor(conf, PARENT_ZONE),
    stop: () => proc.stop(),
  };
}
