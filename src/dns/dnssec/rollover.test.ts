import { dsDigest, dsLine, generatePrivateKeyPem, signingKeyFromPem, type SigningKey } from './keys';
import type { DsRecord, ParentDs } from './parent-ds';
import { parentHolds } from './parent-ds';
import { rolloverStep, type RolloverInput, type RolloverResult } from './rollover';
import { nextStep, timeText } from './rollover-guide';
import type { KeysetDocument, RolloverState, StoredZoneKey } from './types';

const APEX = 'auth.example.org';
const OLD_PEM = generatePrivateKeyPem(13);
const NEW_PEM = generatePrivateKeyPem(13);
const OTHER_PEM = generatePrivateKeyPem(13);
const OLD = signingKeyFromPem(OLD_PEM, 13);
const NEW = signingKeyFromPem(NEW_PEM, 13);
const OTHER = signingKeyFromPem(OTHER_PEM, 13);
const T0 = 1_700_000_000;
const TIMING = { dnskeyTtl: 3600, maxZoneTtl: 86400, propagationDelay: 3600 };
/** When the new DS may go to the parent after a start at T0. */
const DS_AT = T0 + 86400 + 3600;

function ds(key: SigningKey, change: Partial<DsRecord> = {}): DsRecord {
  return { keyTag: key.tag, algorithm: key.algorithm, digestType: 2, digest: dsDigest(APEX, key).toString('hex'), ...change };
}
function parent(...records: DsRecord[]): ParentDs {
  return { digests: records, ttl: 300 };
}
function stored(pem: string, role: StoredZoneKey['role'], createdAt = T0 - 1000): StoredZoneKey {
  return { algorithm: 13, privateKeyPem: pem, createdAt, role };
}
const SINGLE: KeysetDocument = { keys: [stored(OLD_PEM, 'active')] };
const PHASE1: KeysetDocument = {
  keys: [stored(OLD_PEM, 'active'), stored(NEW_PEM, 'incoming', T0)],
  rollover: { phase: 'await-new-ds', startedAt: T0, dsAllowedAt: DS_AT },
};
const STEP_AT = DS_AT + 100;
const PHASE2_STATE: RolloverState = { phase: 'await-old-ds-removal', startedAt: T0, stepAt: STEP_AT };
const PHASE2: KeysetDocument = { keys: [stored(OLD_PEM, 'retiring'), stored(NEW_PEM, 'active', T0)], rollover: PHASE2_STATE };
const GONE_AT = STEP_AT + 50;
const REMOVE_AT = GONE_AT + 300 + 3600;
const PHASE2_GONE: KeysetDocument = { keys: PHASE2.keys, rollover: { ...PHASE2_STATE, oldDsGoneAt: GONE_AT, removeAllowedAt: REMOVE_AT } };

function step(document: KeysetDocument, now: number, parentDs: ParentDs | undefined, force = false, timing = TIMING): RolloverResult {
  const input: RolloverInput = { apex: APEX, document, now, parentDs, timing, force, generateKey: () => NEW_PEM };
  return rolloverStep(input);
}
function roles(doc: KeysetDocument): string[] {
  return doc.keys.map((k) => `${signingKeyFromPem(k.privateKeyPem, k.algorithm).tag}:${k.role}`);
}

describe('start', () => {
  test.each([
    ['the zone TTL is the longest', TIMING, T0 + 86400 + 3600],
    ['the DNSKEY TTL is the longest', { dnskeyTtl: 7200, maxZoneTtl: 600, propagationDelay: 1 }, T0 + 7200 + 1],
  ])('adds an incoming key of the same algorithm; the DS may go at now + max TTL + delay (%s)', (_name, timing, dsAllowedAt) => {
    const r = step(SINGLE, T0, undefined, false, timing);
    if (r.kind !== 'apply') throw new Error(r.reason);
    expect(r.step).toBe('start');
    expect(roles(r.document)).toEqual([`${OLD.tag}:active`, `${NEW.tag}:incoming`]);
    expect(r.document.keys[1]).toEqual({ algorithm: 13, privateKeyPem: NEW_PEM, createdAt: T0, role: 'incoming' });
    expect(r.document.rollover).toEqual({ phase: 'await-new-ds', startedAt: T0, dsAllowedAt });
    expect(r.messages).toContain(`  ${dsLine(APEX, NEW)}`);
    expect(r.messages.join('\n')).toContain(`at or after ${timeText(dsAllowedAt)}, add at the parent:`);
  });
});

type Row = [name: string, doc: KeysetDocument, now: number, parentDs: ParentDs | undefined, force: boolean, expected: string];

describe.each<Row>([
  ['phase 1, too early', PHASE1, DS_AT - 1, parent(ds(OLD), ds(NEW)), false, `refuse:too early: caches may hold our DNSKEY RRset without the new key ${NEW.tag} until ${timeText(DS_AT)}`],
  ['phase 1, parent not checked', PHASE1, DS_AT, undefined, false, "refuse:the parent's DS was not checked"],
  ['phase 1, parent holds only the old DS', PHASE1, DS_AT, parent(ds(OLD)), false, `refuse:the parent does not hold the DS of the new key ${NEW.tag} yet`],
  ['phase 1, the new tag with a wrong digest', PHASE1, DS_AT, parent(ds(OLD), ds(NEW, { digest: ds(OTHER).digest })), false, 'refuse:does not hold the DS of the new key'],
  ['phase 1, the new key with another algorithm number', PHASE1, DS_AT, parent(ds(OLD), ds(NEW, { algorithm: 8 })), false, 'refuse:does not hold the DS of the new key'],
  ['phase 1, both DS at the parent', PHASE1, DS_AT, parent(ds(OLD), ds(NEW)), false, 'apply:new-ds-seen'],
  ['phase 1, the new DS as SHA-384', PHASE1, DS_AT, parent(ds(OLD), { ...ds(NEW), digestType: 4, digest: '' }), false, 'refuse:does not hold'],
  ['phase 1, forced too early and unchecked', PHASE1, T0 + 1, undefined, true, 'apply:new-ds-seen'],
  ['phase 2, parent not checked', PHASE2, STEP_AT + 1, undefined, false, "refuse:the parent's DS was not checked"],
  ['phase 2, old DS still there', PHASE2, STEP_AT + 1, parent(ds(OLD), ds(NEW)), false, `refuse:the parent still holds the DS of the retiring key ${OLD.tag}`],
  ['phase 2, the new DS gone', PHASE2, STEP_AT + 1, parent(ds(OLD)), false, `refuse:the parent does not hold the DS of the active key ${NEW.tag}`],
  ['phase 2, no DS at all', PHASE2, STEP_AT + 1, parent(), false, 'refuse:the parent does not hold the DS of the active key'],
  ['phase 2, old DS removed', PHASE2, STEP_AT + 50, parent(ds(NEW)), false, 'apply:old-ds-gone'],
  ['phase 2, old DS removed, another key DS beside', PHASE2, STEP_AT + 50, parent(ds(NEW), ds(OTHER)), false, 'apply:old-ds-gone'],
  ['phase 2, forced with the old DS still there', PHASE2, STEP_AT + 1, parent(ds(OLD), ds(NEW)), true, 'apply:old-key-removed'],
  ['phase 2 gone, too early', PHASE2_GONE, REMOVE_AT - 1, parent(ds(NEW)), false, `refuse:too early: caches may hold the DS of key ${OLD.tag} until ${timeText(REMOVE_AT)}`],
  ['phase 2 gone, parent not checked', PHASE2_GONE, REMOVE_AT, undefined, false, "refuse:the parent's DS was not checked"],
  ['phase 2 gone, the old DS came back', PHASE2_GONE, REMOVE_AT, parent(ds(OLD), ds(NEW)), false, 'apply:old-ds-returned'],
  ['phase 2 gone, time is up', PHASE2_GONE, REMOVE_AT, parent(ds(NEW)), false, 'apply:old-key-removed'],
  ['phase 2 gone, forced early', PHASE2_GONE, GONE_AT + 1, undefined, true, 'apply:old-key-removed'],
  ['two active keys', { keys: [stored(OLD_PEM, 'active'), stored(NEW_PEM, 'active')] }, T0, undefined, false, 'refuse:the key set has 2 active keys, not one'],
  ['no key', { keys: [] }, T0, undefined, false, 'refuse:the key set has 0 active keys, not one'],
  ['a retiring key without a rollover', { keys: [stored(OLD_PEM, 'active'), stored(NEW_PEM, 'retiring')] }, T0, undefined, false, 'refuse:the key set has incoming or retiring keys'],
  ['phase 1 without an incoming key', { keys: SINGLE.keys, rollover: PHASE1.rollover }, DS_AT, parent(ds(OLD)), false, 'refuse:the key set does not match its rollover phase (await-new-ds)'],
  ['phase 2 without a retiring key', { keys: SINGLE.keys, rollover: PHASE2.rollover }, DS_AT, parent(ds(OLD)), false, 'refuse:the key set does not match its rollover phase (await-old-ds-removal)'],
])('%s', (_name, doc, now, parentDs, force, expected) => {
  test(`-> ${expected}`, () => {
    const r = step(doc, now, parentDs, force);
    const [kind, detail] = [expected.slice(0, expected.indexOf(':')), expected.slice(expected.indexOf(':') + 1)];
    expect(r.kind).toBe(kind);
    if (r.kind === 'refuse') expect(r.reason).toContain(detail);
    if (r.kind === 'apply') {
      expect(r.step).toBe(detail);
      expect(r.messages.some((m) => m.startsWith('FORCED'))).toBe(force);
    }
  });
});

describe('what each step leaves', () => {
  test('new DS seen: the new key active, the old retiring, the step time kept', () => {
    const r = step(PHASE1, DS_AT + 5, parent(ds(OLD), ds(NEW)));
    if (r.kind !== 'apply') throw new Error(r.reason);
    expect(roles(r.document)).toEqual([`${OLD.tag}:retiring`, `${NEW.tag}:active`]);
    expect(r.document.rollover).toEqual({ phase: 'await-old-ds-removal', startedAt: T0, stepAt: DS_AT + 5 });
    expect(r.messages).toEqual(expect.arrayContaining(['remove from the parent:', `  ${dsLine(APEX, OLD)}`, 'keep at the parent:', `  ${dsLine(APEX, NEW)}`]));
  });
  test('old DS gone: removal allowed after the DS TTL seen plus the propagation delay', () => {
    const r = step(PHASE2, GONE_AT, { digests: [ds(NEW)], ttl: 300 });
    if (r.kind !== 'apply') throw new Error(r.reason);
    expect(r.document.keys).toBe(PHASE2.keys);
    expect(r.document.rollover).toEqual({ ...PHASE2.rollover, oldDsGoneAt: GONE_AT, removeAllowedAt: REMOVE_AT });
    expect(r.messages.join('\n')).toContain(`at or after ${timeText(REMOVE_AT)}`);
  });
  test('the old DS back: the wait is forgotten', () => {
    const r = step(PHASE2_GONE, REMOVE_AT, parent(ds(OLD), ds(NEW)));
    if (r.kind !== 'apply') throw new Error(r.reason);
    expect(r.document.rollover).toEqual(PHASE2.rollover);
  });
  test('old key removed: one active key, no rollover', () => {
    const r = step(PHASE2_GONE, REMOVE_AT, parent(ds(NEW)));
    if (r.kind !== 'apply') throw new Error(r.reason);
    expect(r.document).toEqual({ keys: [stored(NEW_PEM, 'active', T0)] });
  });
});

describe('refusals say what to publish or remove and when', () => {
  test.each<[string, KeysetDocument, number, ParentDs | undefined, string[]]>([
    ['phase 1', PHASE1, DS_AT - 1, undefined, [`at or after ${timeText(DS_AT)}, add at the parent:`, `  ${dsLine(APEX, NEW)}`, 'keep at the parent:', `  ${dsLine(APEX, OLD)}`]],
    ['phase 2', PHASE2, STEP_AT, parent(ds(OLD), ds(NEW)), ['remove from the parent:', `  ${dsLine(APEX, OLD)}`, 'keep at the parent:', `  ${dsLine(APEX, NEW)}`]],
    ['phase 2, new DS missing', PHASE2, STEP_AT, parent(ds(OLD)), ['add at the parent:', `  ${dsLine(APEX, NEW)}`]],
    ['phase 2 gone', PHASE2_GONE, REMOVE_AT - 1, parent(ds(NEW)), [expect.stringContaining(`at or after ${timeText(REMOVE_AT)}`) as unknown as string]],
  ])('%s', (_name, doc, now, parentDs, lines) => {
    const r = step(doc, now, parentDs);
    if (r.kind !== 'refuse') throw new Error('applied');
    expect(r.instructions).toEqual(expect.arrayContaining(lines));
  });
});

test('a whole rollover, each step taken as soon as allowed: at every step some DS at the parent matches a published key', () => {
  let doc = SINGLE;
  let atParent = [ds(OLD)];
  let now = T0;
  const published = (): SigningKey[] => doc.keys.map((k) => signingKeyFromPem(k.privateKeyPem, k.algorithm));
  const validates = (): boolean => published().some((k) => parentHolds(APEX, parent(...atParent), k));
  const steps: string[] = [];
  for (let i = 0; i < 20 && (steps.length === 0 || doc.rollover !== undefined); i++) {
    const r = step(doc, now, parent(...atParent));
    if (r.kind === 'apply') {
      doc = r.document;
      steps.push(r.step);
      expect(validates()).toBe(true);
    }
    // The operator follows the instructions as soon as they are allowed.
    const next = nextStep(APEX, doc);
    if (doc.rollover?.phase === 'await-new-ds' && now >= doc.rollover.dsAllowedAt) atParent = [ds(OLD), ds(NEW)];
    if (doc.rollover?.phase === 'await-old-ds-removal') atParent = [ds(NEW)];
    expect(validates()).toBe(true);
    now = Math.max(now + 1, next.earliest ?? now + 1);
  }
  expect(steps).toEqual(['start', 'new-ds-seen', 'old-ds-gone', 'old-key-removed']);
  expect(roles(doc)).toEqual([`${NEW.tag}:active`]);
});

describe('nextStep (status)', () => {
  test.each<[string, KeysetDocument, number | undefined, string]>([
    ['no rollover', SINGLE, undefined, 'no rollover running'],
    ['phase 1', PHASE1, DS_AT, `add the DS of the new key ${NEW.tag} at the parent`],
    ['phase 2', PHASE2, STEP_AT, `remove the DS of the retiring key ${OLD.tag} from the parent`],
    ['phase 2 gone', PHASE2_GONE, REMOVE_AT, `to remove the retiring key ${OLD.tag}`],
  ])('%s', (_name, doc, earliest, action) => {
    const n = nextStep(APEX, doc);
    expect(n.earliest).toBe(earliest);
    expect(n.action).toContain(action);
  });
});
