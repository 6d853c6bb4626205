/**
 * What an authenticated UPDATE may do: PURE (DESIGN rule 1). RFC 2136 §3 in order — the zone
 * section (§3.1), the prerequisites' form (§3.2), the update section prescan (§3.4.1) — and then
 * our policy (§3.3 leaves permissions to the server): a key changes only the TXT RRset at its own
 * account's name, `<subdomain>.<zone>`. The result is either the RCODE refusing the whole message
 * (nothing is applied) or a plan: the prerequisites to test inside the store's transaction and
 * the TxtUpdate to apply when they hold.
 *
 * Every record's RFC form is checked before any policy, so a malformed message is FORMERR or
 * NOTZONE whoever sends it, and a well-formed one we will not apply is REFUSED before the store
 * is read (as BIND checks its update-policy before the prerequisites' data): a key learns nothing
 * about names it may not change.
 */
import type { TxtUpdate } from '../../store/types';
import { asciiLower, depthBelow, keyLabels } from '../names';
import { CLASS_IN, Rcode, RRType } from '../packet';
import type { UpdateMessage, UpdateRecord } from './decode';
import type { Prerequisite } from './prerequisites';
import { CLASS_ANY, CLASS_NONE, groupPrerequisites, prerequisiteForm } from './prerequisites';
import { UpdateRcode } from './rcode';
import { txtValue } from './txt-value';

/** The outcome of evaluating a message for one key's account. */
export type Evaluation =
  | { readonly kind: 'refuse'; readonly rcode: number; readonly reason: string }
  | {
      readonly kind: 'plan';
      /** Tested, in this order, against the account name's values in the store's transaction. */
      readonly prerequisites: readonly Prerequisite[];
      readonly update: TxtUpdate;
    };

/** Meta types that are never data (RFC 2136 §3.4.1.3: AXFR, MAILB, MAILA; ANY where it means "all"). */
const MAILB = 253;
const MAILA = 254;
const META = new Set<number>([RRType.AXFR, MAILB, MAILA]);

const refuse = (rcode: number, reason: string): Evaluation => ({ kind: 'refuse', rcode, reason });

/**
 * Evaluates `msg` for the account whose subdomain is `subdomain` in the zone `apexLabels`
 * (lower-case presentation labels, Zone.apexLabels).
 */
export function evaluateUpdate(msg: UpdateMessage, apexLabels: readonly string[], subdomain: string): Evaluation {
  // §3.1.1: exactly one zone, of type SOA, else FORMERR; a zone we do not serve is NOTAUTH.
  const [zone] = msg.zones;
  if (msg.zones.length !== 1 || zone === undefined) return refuse(Rcode.FORMERR, `${msg.zones.length} zones`);
  if (zone.type !== RRType.SOA) return refuse(Rcode.FORMERR, `zone type ${zone.type}`);
  const zoneKeys = keyLabels(zone.labels);
  if (zone.class !== CLASS_IN || zoneKeys.length !== apexLabels.length || depthBelow(zoneKeys, apexLabels) !== 0) {
    return refuse(UpdateRcode.NOTAUTH, 'not our zone');
  }
  const inZone = (rr: UpdateRecord): boolean => depthBelow(keyLabels(rr.labels), apexLabels) >= 0;

  // §3.2: form of every prerequisite (TTL, classes, RDATA) and NOTZONE, in the message's order.
  const prerequisites: Prerequisite[] = [];
  for (const rr of msg.prerequisites) {
    const form = prerequisiteForm(rr, inZone(rr));
    if (!form.ok) return refuse(form.rcode, form.reason);
    prerequisites.push(form.prerequisite);
  }
  // §3.4.1.3: the update section prescan.
  for (const rr of msg.updates) {
    if (!inZone(rr)) return refuse(UpdateRcode.NOTZONE, 'update outside the zone');
    const bad = updateFormError(rr);
    if (bad !== undefined) return refuse(Rcode.FORMERR, bad);
  }

  // Our policy: only the key's account name, only its TXT RRset.
  const own = [asciiLower(subdomain), ...apexLabels];
  const isOwn = (rr: UpdateRecord): boolean => {
    const keys = keyLabels(rr.labels);
    return keys.length === own.length && keys.every((k, i) => k === own[i]);
  };
  if (!msg.prerequisites.every(isOwn)) return refuse(Rcode.REFUSED, 'prerequisite about another name');
  const plan = { deleteAll: false, remove: new Set<string>(), add: new Set<string>() };
  for (const rr of msg.updates) {
    if (!isOwn(rr)) return refuse(Rcode.REFUSED, 'update of another name');
    const refusal = applyToPlan(plan, rr);
    if (refusal !== undefined) return refuse(Rcode.REFUSED, refusal);
  }
  return {
    kind: 'plan',
    prerequisites: groupPrerequisites(prerequisites),
    update: { deleteAll: plan.deleteAll, remove: [...plan.remove], add: [...plan.add] },
  };
}

/** §3.4.1.3's class rules for one update record (and TXT RDATA that holds no string); undefined: well-formed. */
function updateFormError(rr: UpdateRecord): string | undefined {
  if (rr.class === CLASS_IN) {
    if (rr.type === RRType.ANY || META.has(rr.type)) return 'add of a meta type';
  } else if (rr.class === CLASS_ANY) {
    if (rr.ttl !== 0 || rr.rdata.length !== 0 || META.has(rr.type)) return 'delete of an RRset with a TTL, RDATA or a meta type';
  } else if (rr.class === CLASS_NONE) {
    if (rr.ttl !== 0 || rr.type === RRType.ANY || META.has(rr.type)) return 'delete of an RR with a TTL or a meta type';
  } else {
    return `update of class ${rr.class}`;
  }
  // RFC 1035 §3.3.14: TXT RDATA is one or more <character-string>s.
  if (rr.type === RRType.TXT && rr.class !== CLASS_ANY && rr.txt === undefined) return 'TXT without strings';
  return undefined;
}

/** The plan a sequence of updates amounts to, applied in TxtUpdate's order (deleteAll, remove, add). */
interface Plan {
  deleteAll: boolean;
  readonly remove: Set<string>;
  readonly add: Set<string>;
}

/**
 * Folds one update into the plan so the plan's fixed order gives what applying the records one
 * after the other would (§3.4.2): a later delete cancels an earlier add, and the reverse. Returns
 * why the record is refused by our policy, or undefined.
 */
function applyToPlan(plan: Plan, rr: UpdateRecord): string | undefined {
  // §2.5.2 "Delete an RRset" (ANY, TXT) and §2.5.3 "Delete all RRsets from a name" (ANY, ANY):
  // the account name holds only its TXT values.
  if (rr.class === CLASS_ANY) {
    if (rr.type !== RRType.TXT && rr.type !== RRType.ANY) return `delete of type ${rr.type}`;
    plan.deleteAll = true;
    plan.remove.clear();
    plan.add.clear();
    return undefined;
  }
  if (rr.type !== RRType.TXT) return `${rr.class === CLASS_NONE ? 'delete' : 'add'} of type ${rr.type}`;
  const value = txtValue(rr.txt ?? []);
  if (value === undefined) return 'TXT strings that are not the canonical split of UTF-8 text';
  if (rr.class === CLASS_NONE) {
    // §2.5.4 "Delete an RR from an RRset".
    plan.add.delete(value);
    plan.remove.add(value);
  } else {
    // §2.5.1 "Add to an RRset" (the record's TTL is not kept: every value is served with txt_ttl).
    plan.remove.delete(value);
    plan.add.add(value);
  }
  return undefined;
}
