/**
 * The prerequisite section (RFC 2136 §2.4, §3.2): each record's form checked, then turned into a
 * test of the account name's current TXT values, run inside the store's transaction. The account
 * name holds TXT values only, so "the name is in use" means it has at least one value, and every
 * other type's RRset is absent there.
 */
import { CLASS_IN, Rcode, RRType } from '../packet';
import type { UpdateRecord } from './decode';
import type { PrerequisiteRcode } from './rcode';
import { UpdateRcode } from './rcode';
import { txtValue } from './txt-value';

/** Classes RFC 2136 gives a meaning in the prerequisite and update sections (§2.4, §2.5). */
export const CLASS_NONE = 254;
/** Class ANY (RFC 1035 §3.2.5). */
export const CLASS_ANY = 255;

/** One prerequisite about the account name, in the RFC's words. */
export type Prerequisite =
  /** §2.4.4 "Name is in use" (class ANY, type ANY): else NXDOMAIN. */
  | { readonly kind: 'name-in-use' }
  /** §2.4.5 "Name is not in use" (class NONE, type ANY): else YXDOMAIN. */
  | { readonly kind: 'name-not-in-use' }
  /** §2.4.1 "RRset exists (value independent)" (class ANY): else NXRRSET. */
  | { readonly kind: 'rrset-exists'; readonly type: number }
  /** §2.4.3 "RRset does not exist" (class NONE): else YXRRSET. */
  | { readonly kind: 'rrset-absent'; readonly type: number }
  /** §2.4.2 "RRset exists (value dependent)" (class IN, all such records of one type together): else NXRRSET. */
  | { readonly kind: 'rrset-equals'; readonly type: number; readonly values: ReadonlySet<string> | undefined };

/** A record's form as §3.2 checks it: the prerequisite, or the RCODE refusing the message. */
export type PrerequisiteForm =
  | { readonly ok: true; readonly prerequisite: Prerequisite }
  | { readonly ok: false; readonly rcode: number; readonly reason: string };

const formerr = (reason: string): PrerequisiteForm => ({ ok: false, rcode: Rcode.FORMERR, reason });

/**
 * §3.2.1-§3.2.3 for one record, in §3.2.5's order: TTL 0 always (FORMERR), the name in the zone
 * (`inZone`, else NOTZONE), ANY and NONE carry no RDATA, any class but the zone's (IN) is FORMERR.
 * A value dependent TXT prerequisite whose strings are not a value we could hold never matches.
 */
export function prerequisiteForm(rr: UpdateRecord, inZone: boolean): PrerequisiteForm {
  if (rr.ttl !== 0) return formerr('prerequisite with a TTL');
  if (!inZone) return { ok: false, rcode: UpdateRcode.NOTZONE, reason: 'prerequisite outside the zone' };
  if (rr.class === CLASS_ANY || rr.class === CLASS_NONE) {
    if (rr.rdata.length !== 0) return formerr('prerequisite of class ANY or NONE with RDATA');
    const any = rr.type === RRType.ANY;
    if (rr.class === CLASS_ANY) return { ok: true, prerequisite: any ? { kind: 'name-in-use' } : { kind: 'rrset-exists', type: rr.type } };
    return { ok: true, prerequisite: any ? { kind: 'name-not-in-use' } : { kind: 'rrset-absent', type: rr.type } };
  }
  if (rr.class !== CLASS_IN) return formerr(`prerequisite of class ${rr.class}`);
  if (rr.type === RRType.TXT && rr.txt === undefined) return formerr('TXT prerequisite without strings');
  const value = rr.txt === undefined ? undefined : txtValue(rr.txt);
  return { ok: true, prerequisite: { kind: 'rrset-equals', type: rr.type, values: value === undefined ? undefined : new Set([value]) } };
}

/**
 * Merges the value dependent prerequisites of one type into one RRset (§3.2.3: "build an RRset
 * for each unique <NAME,TYPE>"), keeping the others in order; their checks come first (§3.2.5).
 */
export function groupPrerequisites(list: readonly Prerequisite[]): Prerequisite[] {
  const plain = list.filter((p) => p.kind !== 'rrset-equals');
  const sets = new Map<number, Set<string> | undefined>();
  for (const p of list) {
    if (p.kind !== 'rrset-equals') continue;
    const seen = sets.has(p.type);
    const have = sets.get(p.type);
    // A value we could never hold makes the whole RRset unmatchable.
    if (p.values === undefined || (seen && have === undefined)) sets.set(p.type, undefined);
    else sets.set(p.type, new Set([...(have ?? []), ...p.values]));
  }
  return [...plain, ...[...sets].map(([type, values]): Prerequisite => ({ kind: 'rrset-equals', type, values }))];
}

/** Whether the current TXT values equal `values` as RRsets: same members, duplicates folded. */
function sameSet(current: readonly string[], values: ReadonlySet<string>): boolean {
  const have = new Set(current);
  return have.size === values.size && [...values].every((v) => have.has(v));
}

/** The first prerequisite the account name's `current` values fail, as its RCODE; undefined when all hold. */
export function failedPrerequisite(prerequisites: readonly Prerequisite[], current: readonly string[]): PrerequisiteRcode | undefined {
  const inUse = current.length > 0;
  const txtExists = (type: number): boolean => type === RRType.TXT && inUse;
  for (const p of prerequisites) {
    switch (p.kind) {
      case 'name-in-use':
        if (!inUse) return Rcode.NXDOMAIN;
        break;
      case 'name-not-in-use':
        if (inUse) return UpdateRcode.YXDOMAIN;
        break;
      case 'rrset-exists':
        if (!txtExists(p.type)) return UpdateRcode.NXRRSET;
        break;
      case 'rrset-absent':
        if (txtExists(p.type)) return UpdateRcode.YXRRSET;
        break;
      case 'rrset-equals':
        if (!txtExists(p.type) || p.values === undefined || !sameSet(current, p.values)) return UpdateRcode.NXRRSET;
        break;
    }
  }
  return undefined;
}
