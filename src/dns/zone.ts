/**
 * The zone built once from the DNS config: SOA and NS at the apex, the static records grouped
 * into RRsets per owner, and the names that exist only because something lives below them
 * (empty non-terminals, RFC 8020 §2: they are NODATA, never NXDOMAIN).
 */
import { ConfigError } from '../core/errors';
import type { DnsConfig } from '../config/types';
import type { RData, ResourceRecord } from './packet';
import { RRType, TYPE_CODE } from './packet';
import { depthBelow, parseConfigName, splitName } from './names';
import { parseRecordLine, RecordSyntaxError } from './records';
import { encodeRecordTail } from './wire';

/** The config fields the zone is built from. */
export type ZoneConfig = Pick<
  DnsConfig,
  'domain' | 'nsname' | 'nsadmin' | 'records' | 'negativeTtl' | 'txtTtl' | 'staticTtl'
>;

/** All records of one type at one name (RFC 2181 §5). */
export interface RRset {
  readonly type: number;
  readonly ttl: number;
  readonly data: readonly RData[];
}

/** One owner name with data; RRsets in config order (the apex starts with SOA, NS). */
export interface ZoneNode {
  readonly inZone: boolean;
  readonly rrsets: ReadonlyMap<number, RRset>;
}

/** The served zone. Names are lower-case, without the final dot. */
export interface Zone {
  readonly apex: string;
  readonly apexLabels: readonly string[];
  /** The SOA for negative answers: TTL min(SOA TTL, MINIMUM) (RFC 2308 §3). */
  readonly negativeSoa: ResourceRecord;
  readonly nodes: ReadonlyMap<string, ZoneNode>;
  readonly emptyNonTerminals: ReadonlySet<string>;
  /**
   * Names between the apex and the server's own DNS-01 names (`_acme-challenge.<name>`), each
   * with the own names below it: such a name exists while one of those holds a value (an empty
   * non-terminal, RFC 8020 §2), so a resolver walking down (RFC 9156) is not told "nothing here".
   */
  readonly ownChallengeAncestors: ReadonlyMap<string, readonly string[]>;
  readonly txtTtl: number;
}

/** The SOA serial acme-dns uses: YYYYMMDDHH of the start time (we take it in UTC). */
export function serialFromTime(nowSeconds: number): number {
  const d = new Date(nowSeconds * 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return Number(`${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}`);
}

function configName(key: string, value: string): string {
  const parsed = parseConfigName(value.replace('@', '.'));
  if ('error' in parsed) throw new ConfigError(`general.${key}: ${parsed.error}`);
  return parsed.name;
}

function rdataKey(d: RData): string {
  return JSON.stringify(d, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v));
}

/** Each name strictly between the apex and an own-challenge name, with the own names below it. */
function ancestorsOf(ownNames: readonly string[], apexLabels: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of new Set(ownNames.map((n) => n.toLowerCase().replace(/\.$/, '')))) {
    const labels = splitName(name);
    for (let d = 1; d < depthBelow(labels, apexLabels); d++) {
      const above = labels.slice(d).join('.');
      out.set(above, [...(out.get(above) ?? []), name]);
    }
  }
  return out;
}

/**
 * Builds the zone; a bad record line is a ConfigError naming the line. The serial defaults to
 * the current hour (the config check needs no particular one; the server passes its start time).
 * `ownChallengeNames`: where the server's own DNS-01 values may appear (lower-case, no final dot).
 */
export function parseZone(
  config: ZoneConfig,
  serial: number = serialFromTime(Date.now() / 1000),
  ownChallengeNames: readonly string[] = [],
): Zone {
  const apex = configName('domain', config.domain);
  const apexLabels = splitName(apex);
  const soaData: RData = {
    type: 'SOA',
    mname: configName('nsname', config.nsname),
    rname: configName('nsadmin', config.nsadmin),
    serial,
    refresh: 28800,
    retry: 7200,
    expire: 604800,
    minimum: config.negativeTtl,
  };
  const sets = new Map<string, Map<number, { ttl: number; data: RData[]; keys: Set<string> }>>();
  const add = (owner: string, ttl: number, data: RData): void => {
    const node = sets.get(owner) ?? new Map();
    sets.set(owner, node);
    const code = TYPE_CODE[data.type];
    const set = node.get(code) ?? { ttl, data: [], keys: new Set<string>() };
    node.set(code, set);
    // RFC 2181 §5: an RRset has no duplicates; §5.2: one TTL, so the lowest given.
    set.ttl = Math.min(set.ttl, ttl);
    const key = rdataKey(data);
    if (!set.keys.has(key)) set.data.push(data);
    set.keys.add(key);
  };
  add(apex, config.staticTtl, soaData);
  config.records.forEach((line, index) => {
    try {
      const rec = parseRecordLine(line, config.staticTtl);
      // Encode once now so anything the codec would reject fails at start, not per query.
      encodeRecordTail({ name: rec.owner, ttl: rec.ttl, data: rec.data });
      add(rec.owner, rec.ttl, rec.data);
    } catch (err) {
      const why = err instanceof RecordSyntaxError || err instanceof Error ? err.message : String(err);
      throw new ConfigError(`general.records[${index}] "${line}": ${why}`);
    }
  });
  const apexNode = sets.get(apex);
  if (apexNode && !apexNode.has(RRType.NS)) add(apex, config.staticTtl, { type: 'NS', target: soaData.mname });
  checkCnames(sets, apex);

  const nodes = new Map<string, ZoneNode>();
  const emptyNonTerminals = new Set<string>();
  for (const [owner, node] of sets) {
    const labels = splitName(owner);
    const depth = depthBelow(labels, apexLabels);
    const rrsets = new Map<number, RRset>();
    // The apex lists SOA and NS first, then the configured types in order.
    const order = owner === apex ? [RRType.SOA, RRType.NS] : [];
    for (const code of [...order, ...node.keys()]) {
      const set = node.get(code);
      if (set && !rrsets.has(code)) rrsets.set(code, { type: code, ttl: set.ttl, data: set.data });
    }
    nodes.set(owner, { inZone: depth >= 0, rrsets });
    for (let d = 1; d < depth; d++) emptyNonTerminals.add(labels.slice(d).join('.'));
  }
  for (const owner of nodes.keys()) emptyNonTerminals.delete(owner);

  const negativeTtl = Math.min(config.staticTtl, config.negativeTtl);
  return {
    apex,
    apexLabels,
    negativeSoa: { name: apex, ttl: negativeTtl, data: soaData },
    nodes,
    emptyNonTerminals,
    ownChallengeAncestors: ancestorsOf(ownChallengeNames, apexLabels),
    txtTtl: config.txtTtl,
  };
}

/** RFC 1034 §3.6.2 / RFC 2181 §10.1: a CNAME is alone at its name, one per name, not at the apex. */
function checkCnames(sets: Map<string, Map<number, { data: RData[] }>>, apex: string): void {
  for (const [owner, node] of sets) {
    const cname = node.get(RRType.CNAME);
    if (!cname) continue;
    if (owner === apex) throw new ConfigError(`general.records: a CNAME at the zone apex ${apex} conflicts with its SOA and NS`);
    if (node.size > 1) throw new ConfigError(`general.records: ${owner} has a CNAME and other records; a CNAME must be alone at its name`);
    if (cname.data.length > 1) throw new ConfigError(`general.records: ${owner} has more than one CNAME`);
  }
}
