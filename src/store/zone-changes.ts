/**
 * The zone journal as both engines write and read it (issue 10): the net change one transaction
 * makes, the journal rows it becomes, and the rows read back as IXFR steps (RFC 1995 §4).
 *
 * Owners are stored relative: an account value's row holds the subdomain key (`own` false) and the
 * store adds `.<zone>` when it reads; an own challenge row holds its full name (`own` true). So a
 * renamed zone (`dns.domain` changed) never serves names of the old one from the journal.
 */
import type { ZoneDelta, ZoneTxt } from './zone-types';

/** RFC 1982 §3.1: serials are added modulo 2^32 (SERIAL_BITS = 32, RFC 1035's SOA). */
export const SERIAL_MODULUS = 4294967296;

/** Journal rows and versions per pruning statement: short statements, so no write lock is held long. */
export const JOURNAL_PRUNE_BATCH = 5000;

/** One journal row as stored: what was added to or deleted from the zone. */
export interface ChangeRow {
  readonly op: 'add' | 'del';
  /** The subdomain key (own false) or the own challenge's full name (own true). */
  readonly name: string;
  readonly own: boolean;
  readonly value: string;
}

/** A journal version as stored; ids order versions (serials wrap, ids do not). */
export interface VersionRow {
  readonly id: number;
  readonly from: number;
  readonly to: number;
}

/** A journal row read back with the version it belongs to. */
export interface VersionChangeRow extends ChangeRow {
  readonly version: number;
}

/**
 * The net change of one transaction. A value added then deleted (pruned at once), or deleted then
 * added again (RFC 2136 delete-all then add), cancels out: the journal holds what a secondary must
 * do, never a step that changes nothing.
 */
export class ZoneChanges {
  private readonly net = new Map<string, ChangeRow>();

  /** Records that (name, value) was put into the zone. */
  add(name: string, own: boolean, value: string): void {
    this.record({ op: 'add', name, own, value });
  }

  /** Records that (name, value) left the zone. */
  del(name: string, own: boolean, value: string): void {
    this.record({ op: 'del', name, own, value });
  }

  /** True when the zone's content did not change. */
  get empty(): boolean {
    return this.net.size === 0;
  }

  /** The journal rows: deletions first, then additions (RFC 1995 §4 order), each in arrival order. */
  rows(): ChangeRow[] {
    const all = [...this.net.values()];
    return [...all.filter((r) => r.op === 'del'), ...all.filter((r) => r.op === 'add')];
  }

  /** How many values `op` changed at `name` (own false). */
  count(op: 'add' | 'del', name: string): number {
    let n = 0;
    for (const r of this.net.values()) if (r.op === op && !r.own && r.name === name) n += 1;
    return n;
  }

  private record(row: ChangeRow): void {
    const key = JSON.stringify([row.own, row.name, row.value]);
    const before = this.net.get(key);
    if (before === undefined) this.net.set(key, row);
    else if (before.op !== row.op) this.net.delete(key);
  }
}

/**
 * The first whole second at which a sweep removes something, from the store's earliest challenge
 * expiry and oldest TXT value (null: none). A sweep at `now` removes a challenge whose expires_at
 * is below now, and a value older than now - maxAge: so both go at the first second past their
 * last live one.
 */
export function firstExpirySecond(earliestChallenge: number | null, oldestTxt: number | null, maxAgeSeconds: number): number | undefined {
  const lastLive = [earliestChallenge, maxAgeSeconds > 0 && oldestTxt !== null ? oldestTxt + maxAgeSeconds : null].filter((v): v is number => v !== null);
  return lastLive.length === 0 ? undefined : Math.floor(Math.min(...lastLive)) + 1;
}

/** The serial before `to` (RFC 1982 §3.1 subtraction of one). */
export function previousSerial(to: number): number {
  return (to + SERIAL_MODULUS - 1) % SERIAL_MODULUS;
}

/** The zone apex as the store keeps it: lower-case, without the final dot. */
export function normalizeZone(zone: string): string {
  return zone.toLowerCase().replace(/\.$/, '');
}

/** A key or challenge name as stored: lower-case, without one final dot. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** True when an own challenge name lies in the zone (only those are part of its content). */
export function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** The full owner name of a stored row. */
export function ownerName(zone: string, name: string, own: boolean): string {
  return own ? name : `${name}.${zone}`;
}

/** A stored (name, own, value) as a record of the zone. */
export function toZoneTxt(zone: string, name: string, own: boolean, value: string): ZoneTxt {
  return { owner: ownerName(zone, name, own), value };
}

/**
 * The versions from the one that starts at `serial` to `current`, as IXFR steps; undefined when
 * the chain is broken or does not end at `current` (the caller then sends the whole zone).
 * `versions` are in id order, starting at the wanted one; `rows` in (version, arrival) order.
 */
export function toDeltas(zone: string, versions: readonly VersionRow[], rows: readonly VersionChangeRow[], current: number): ZoneDelta[] | undefined {
  const byVersion = new Map<number, { removed: ZoneTxt[]; added: ZoneTxt[] }>();
  for (const v of versions) byVersion.set(v.id, { removed: [], added: [] });
  for (const r of rows) {
    const step = byVersion.get(r.version);
    if (step === undefined) continue;
    (r.op === 'del' ? step.removed : step.added).push(toZoneTxt(zone, r.name, r.own, r.value));
  }
  const deltas: ZoneDelta[] = [];
  let expected = versions[0]?.from;
  for (const v of versions) {
    if (v.from !== expected) return undefined;
    const step = byVersion.get(v.id) ?? { removed: [], added: [] };
    deltas.push({ from: v.from, to: v.to, removed: step.removed, added: step.added });
    expected = v.to;
  }
  return expected === current ? deltas : undefined;
}
