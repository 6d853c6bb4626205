import { buildUpdate, CLASS, TYPE, type RecordSpec, type UpdateSpec } from '../../../test/support/dns-update';
import { Rcode } from '../packet';
import { decodeUpdate } from './decode';
import { evaluateUpdate, type Evaluation } from './evaluate';
import { failedPrerequisite } from './prerequisites';
import { UpdateRcode } from './rcode';

const APEX = ['auth', 'example', 'org'];
const SUB = 'd420c923-bbd7-4056-ab64-c3ca54c9b3cf';
const OWN = `${SUB}.auth.example.org`;

function evaluate(spec: UpdateSpec): Evaluation {
  const d = decodeUpdate(buildUpdate(spec), 'tcp');
  if (d.kind !== 'update') throw new Error(d.kind);
  return evaluateUpdate(d.message, APEX, SUB);
}

const add = (value: string | readonly (string | Buffer)[], name = OWN): RecordSpec => ({ name, type: TYPE.TXT, ttl: 60, txt: typeof value === 'string' ? [value] : value });
const del = (value: string, name = OWN): RecordSpec => ({ name, type: TYPE.TXT, klass: CLASS.NONE, txt: [value] });
const delSet = (type: number = TYPE.TXT, name = OWN): RecordSpec => ({ name, type, klass: CLASS.ANY });

describe('evaluateUpdate: plans', () => {
  const plans: ReadonlyArray<readonly [string, UpdateSpec, { deleteAll: boolean; remove: string[]; add: string[] }]> = [
    ['one add', { updates: [add('v')] }, { deleteAll: false, remove: [], add: ['v'] }],
    ['owner and zone in any case', { zone: 'AUTH.example.ORG', updates: [add('v', OWN.toUpperCase())] }, { deleteAll: false, remove: [], add: ['v'] }],
    ['delete an RR (§2.5.4)', { updates: [del('v')] }, { deleteAll: false, remove: ['v'], add: [] }],
    ['delete the TXT RRset (§2.5.2)', { updates: [delSet()] }, { deleteAll: true, remove: [], add: [] }],
    ['delete all RRsets of the name (§2.5.3)', { updates: [delSet(TYPE.ANY)] }, { deleteAll: true, remove: [], add: [] }],
    ['delete then add: the add stays', { updates: [delSet(), add('v')] }, { deleteAll: true, remove: [], add: ['v'] }],
    ['add then delete the RRset: nothing added', { updates: [add('v'), delSet()] }, { deleteAll: true, remove: [], add: [] }],
    ['add then delete the RR: removed', { updates: [add('v'), del('v')] }, { deleteAll: false, remove: ['v'], add: [] }],
    ['a 300-octet value in its canonical split', { updates: [add(['x'.repeat(255), 'y'.repeat(45)])] }, { deleteAll: false, remove: [], add: ['x'.repeat(255) + 'y'.repeat(45)] }],
    ['any string, not only a token', { updates: [add('v=spf1 -all ü')] }, { deleteAll: false, remove: [], add: ['v=spf1 -all ü'] }],
    ['no updates: prerequisites only', { prerequisites: [delSet(TYPE.ANY)] }, { deleteAll: false, remove: [], add: [] }],
  ];
  test.each(plans)('%s', (_what, spec, update) => {
    const e = evaluate(spec);
    expect(e).toMatchObject({ kind: 'plan', update });
  });
});

describe('evaluateUpdate: refusals', () => {
  const refusals: ReadonlyArray<readonly [string, UpdateSpec, number]> = [
    ['no zone', { zones: [] }, Rcode.FORMERR],
    ['two zones', { zones: [{ name: 'auth.example.org' }, { name: 'auth.example.org' }] }, Rcode.FORMERR],
    ['zone type not SOA', { zones: [{ name: 'auth.example.org', type: TYPE.A }] }, Rcode.FORMERR],
    ['another zone', { zone: 'example.org' }, UpdateRcode.NOTAUTH],
    ['a zone below ours', { zone: OWN }, UpdateRcode.NOTAUTH],
    ['zone class CH', { zones: [{ name: 'auth.example.org', klass: 3 }] }, UpdateRcode.NOTAUTH],
    ['update outside the zone', { updates: [add('v', 'example.com')] }, UpdateRcode.NOTZONE],
    ['prerequisite outside the zone', { prerequisites: [delSet(TYPE.ANY, 'example.com')] }, UpdateRcode.NOTZONE],
    ['prerequisite with a TTL', { prerequisites: [{ ...delSet(), ttl: 5 }] }, Rcode.FORMERR],
    ['prerequisite ANY with RDATA', { prerequisites: [{ ...delSet(), txt: ['v'] }] }, Rcode.FORMERR],
    ['prerequisite of class CH', { prerequisites: [{ name: OWN, type: TYPE.TXT, klass: 3 }] }, Rcode.FORMERR],
    ['prerequisite TXT IN without strings', { prerequisites: [{ name: OWN, type: TYPE.TXT }] }, Rcode.FORMERR],
    ['prerequisite about another name', { prerequisites: [delSet(TYPE.ANY, `other.auth.example.org`)] }, Rcode.REFUSED],
    ['add of type ANY', { updates: [{ name: OWN, type: TYPE.ANY, txt: ['v'] }] }, Rcode.FORMERR],
    ['add of AXFR', { updates: [{ name: OWN, type: TYPE.AXFR, txt: ['v'] }] }, Rcode.FORMERR],
    ['delete RRset with a TTL', { updates: [{ ...delSet(), ttl: 1 }] }, Rcode.FORMERR],
    ['delete RRset with RDATA', { updates: [{ ...delSet(), txt: ['v'] }] }, Rcode.FORMERR],
    ['delete RR with a TTL', { updates: [{ ...del('v'), ttl: 1 }] }, Rcode.FORMERR],
    ['delete RR of type ANY', { updates: [{ ...del('v'), type: TYPE.ANY }] }, Rcode.FORMERR],
    ['update of class CH', { updates: [{ ...add('v'), klass: 3 }] }, Rcode.FORMERR],
    ['TXT add without strings', { updates: [{ name: OWN, type: TYPE.TXT, ttl: 60 }] }, Rcode.FORMERR],
    ['another account name', { updates: [add('v', 'other.auth.example.org')] }, Rcode.REFUSED],
    ['the apex', { updates: [add('v', 'auth.example.org')] }, Rcode.REFUSED],
    ['a name below the account name', { updates: [add('v', `x.${OWN}`)] }, Rcode.REFUSED],
    ['an A record', { updates: [{ name: OWN, type: TYPE.A, ttl: 60, rdata: Buffer.from([1, 2, 3, 4]) }] }, Rcode.REFUSED],
    ['delete the A RRset', { updates: [delSet(TYPE.A)] }, Rcode.REFUSED],
    ['the apex SOA', { updates: [{ name: 'auth.example.org', type: TYPE.SOA, klass: CLASS.ANY }] }, Rcode.REFUSED],
    ['the apex NS', { updates: [{ name: 'auth.example.org', type: TYPE.NS, klass: CLASS.ANY }] }, Rcode.REFUSED],
    ['one good, one bad: all refused', { updates: [add('v'), add('v', 'other.auth.example.org')] }, Rcode.REFUSED],
    ['a split that is not canonical', { updates: [add(['ab', 'c'])] }, Rcode.REFUSED],
    ['an empty value', { updates: [add('')] }, Rcode.REFUSED],
    ['a trailing empty string', { updates: [add(['x'.repeat(255), ''])] }, Rcode.REFUSED],
    ['bytes that are no UTF-8', { updates: [add([Buffer.from([0xff, 0xfe])])] }, Rcode.REFUSED],
    ['FORMERR before policy', { updates: [add('v', 'other.auth.example.org'), { ...delSet(), ttl: 3 }] }, Rcode.FORMERR],
  ];
  test.each(refusals)('%s', (_what, spec, rcode) => {
    const e = evaluate(spec);
    expect(e).toMatchObject({ kind: 'refuse', rcode });
  });
});

describe('prerequisites against the current values', () => {
  const cases: ReadonlyArray<readonly [string, RecordSpec[], string[], number | undefined]> = [
    ['yxdomain holds', [delSet(TYPE.ANY)], ['a'], undefined],
    ['yxdomain fails: NXDOMAIN', [delSet(TYPE.ANY)], [], Rcode.NXDOMAIN],
    ['nxdomain holds', [{ ...delSet(TYPE.ANY), klass: CLASS.NONE }], [], undefined],
    ['nxdomain fails: YXDOMAIN', [{ ...delSet(TYPE.ANY), klass: CLASS.NONE }], ['a'], UpdateRcode.YXDOMAIN],
    ['yxrrset TXT holds', [delSet()], ['a'], undefined],
    ['yxrrset TXT fails: NXRRSET', [delSet()], [], UpdateRcode.NXRRSET],
    ['yxrrset A fails: NXRRSET', [delSet(TYPE.A)], ['a'], UpdateRcode.NXRRSET],
    ['nxrrset TXT holds', [{ ...delSet(), klass: CLASS.NONE }], [], undefined],
    ['nxrrset TXT fails: YXRRSET', [{ ...delSet(), klass: CLASS.NONE }], ['a'], UpdateRcode.YXRRSET],
    ['nxrrset A holds', [{ ...delSet(TYPE.A), klass: CLASS.NONE }], ['a'], undefined],
    ['value dependent holds', [{ name: OWN, type: TYPE.TXT, txt: ['a'] }, { name: OWN, type: TYPE.TXT, txt: ['b'] }], ['b', 'a'], undefined],
    ['value dependent: a subset fails', [{ name: OWN, type: TYPE.TXT, txt: ['a'] }], ['a', 'b'], UpdateRcode.NXRRSET],
    ['value dependent: nothing there fails', [{ name: OWN, type: TYPE.TXT, txt: ['a'] }], [], UpdateRcode.NXRRSET],
    ['value dependent A fails', [{ name: OWN, type: TYPE.A, rdata: Buffer.from([1, 2, 3, 4]) }], ['a'], UpdateRcode.NXRRSET],
    ['value dependent, unholdable value fails', [{ name: OWN, type: TYPE.TXT, txt: ['a', 'b'] }], ['ab'], UpdateRcode.NXRRSET],
    ['the first failure in order', [{ ...delSet(TYPE.ANY), klass: CLASS.NONE }, delSet()], ['a'], UpdateRcode.YXDOMAIN],
    ['value dependent checked after the others (§3.2.5)', [{ name: OWN, type: TYPE.TXT, txt: ['z'] }, delSet(TYPE.ANY)], [], Rcode.NXDOMAIN],
  ];
  test.each(cases)('%s', (_what, prerequisites, current, rcode) => {
    const e = evaluate({ prerequisites, updates: [add('v')] });
    if (e.kind !== 'plan') throw new Error(e.reason);
    expect(failedPrerequisite(e.prerequisites, current)).toBe(rcode);
  });
});
