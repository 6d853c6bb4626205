/**
 * What every `acmedns dnssec` subcommand starts from: the configuration (DNSSEC on), the zone it
 * builds, the store beside the running server, and the key set in it, claimed as the server's first
 * start would claim it when there is none yet (so the DS can go to the parent before the first start).
 */
import type { Config } from '../../config/types';
import { parseZone, type Zone } from '../../dns';
import { readOrClaimKeyset, type CurrentKeyset, type RolloverTiming } from '../../dns/dnssec';
import { openStore, type DnssecKeyPort } from '../../store';
import { loadCliConfig } from '../config-file';
import { requireStoreFile } from '../configured-store';

/** The opened configuration, zone and store of a dnssec subcommand. */
export interface DnssecContext {
  readonly config: Config;
  readonly zone: Zone;
  readonly store: DnssecKeyPort;
}

/** Loads the configuration (DNSSEC must be on), opens its store, runs `fn`, closes the store. */
export async function withDnssec<T>(configFile: string | undefined, fn: (context: DnssecContext) => Promise<T>): Promise<T> {
  const { file, config } = loadCliConfig(configFile);
  if (!config.dnssec.enabled) throw new Error(`DNSSEC is off in ${file}: set enabled = true in [dnssec] (and restart the server) first`);
  const zone = parseZone(config.dns);
  requireStoreFile(file, config);
  const store = await openStore(config.database, config.txt, config.dns.domain);
  try {
    return await fn({ config, zone, store });
  } finally {
    await store.close();
  }
}

/** The stored key set, or a new one claimed (one CSK of `[dnssec] algorithm`) when there is none. */
export function currentKeyset(context: DnssecContext, nowSeconds: number): Promise<CurrentKeyset> {
  return readOrClaimKeyset(context.store, context.config.dnssec.algorithm, nowSeconds);
}

/** The largest TTL the zone serves: every static RRset, the SOA, TXT values, negative answers and the DNSKEY RRset. */
export function maxZoneTtl(zone: Zone, dnskeyTtl: number): number {
  let max = Math.max(zone.txtTtl, zone.negativeSoa.ttl, dnskeyTtl);
  for (const node of zone.nodes.values()) for (const rrset of node.rrsets.values()) max = Math.max(max, rrset.ttl);
  return max;
}

/**
 * The rollover's waiting times from the configuration. A step written to the store reaches the
 * running instances only at their next read of the key set, so `key_poll` is part of the delay.
 */
export function rolloverTiming(context: DnssecContext): RolloverTiming {
  const { dnskeyTtl, propagationDelay, keyPoll } = context.config.dnssec;
  return { dnskeyTtl, maxZoneTtl: maxZoneTtl(context.zone, dnskeyTtl), propagationDelay: propagationDelay + keyPoll };
}
