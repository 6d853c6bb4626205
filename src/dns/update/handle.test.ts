/**
 * The UPDATE pipeline end to end in process: real TSIG signing and verification, the real account
 * actions and limits over an in-memory store, so each RCODE is the one a client would see.
 */
import pino from 'pino';
import { buildUpdate, CLASS, TYPE, type UpdateSpec } from '../../../test/support/dns-update';
import { createAuthGate } from '../../accounts/auth-limits';
import { createRateLimiters } from '../../accounts/limits';
import { createUpdateActions } from '../../accounts/rfc2136';
import { createAllowListCache } from '../../core/allow-list';
import { StoreUnavailableError } from '../../core/errors';
import type { Account } from '../../core/types';
import type { AccountsStore, AuditContext, StoredTsigKey, TxtUpdate } from '../../store/types';
import { Rcode } from '../packet';
import { findTsig, signRequest, TsigErrorCode, type TsigKey } from '../tsig';
import { createUpdateHandler } from './handle';
import { UpdateRcode } from './rcode';

const T = 1_800_000_000;
const SUB = 'sub1';
const OWN = `${SUB}.auth.example.org`;
const KEY: StoredTsigKey = { name: 'k1.example', algorithm: 'hmac-sha256', secret: Buffer.alloc(32, 3), username: 'u1', subdomain: SUB, createdAt: 0 };
const ACCOUNT: Account = { username: 'u1', passwordHash: 'x', subdomain: SUB, allowFrom: [] };

type Store = Pick<AccountsStore, 'findTsigKey' | 'findAccount' | 'applyTxtUpdate'>;

function setup(options: { fail?: Error; account?: Account } = {}) {
  const values: string[] = ['old'];
  const applied: { update: TxtUpdate; audit: AuditContext | undefined }[] = [];
  const store: Store = {
    findTsigKey: (name) => Promise.resolve(name === KEY.name ? KEY : undefined),
    findAccount: (u) => Promise.resolve(u === 'u1' ? (options.account ?? ACCOUNT) : undefined),
    applyTxtUpdate: (subdomain, update, check, _now, audit) => {
      if (options.fail) return Promise.reject(options.fail);
      if (subdomain !== SUB) return Promise.resolve({ kind: 'gone' });
      if (!check(values)) return Promise.resolve({ kind: 'prerequisite-failed' });
      applied.push({ update, audit });
      return Promise.resolve({ kind: 'applied', added: update.add.length, removed: update.remove.length });
    },
  };
  const limits = createRateLimiters({
    registerPerHour: 0,
    registerBurst: 1,
    authFailures: 3,
    authFailureWindowSeconds: 600,
    authFailuresPerAddress: 0,
    authMalformed: 0,
    authInFlight: 0,
    updatePerHour: 0,
    updateBurst: 1,
    checkPerHour: 0,
    checkBurst: 1,
    checkPerAddressPerHour: 0,
    checkPerAddressBurst: 1,
  });
  const gate = createAuthGate(() => Promise.reject(new Error('unused')), limits);
  const accounts = createUpdateActions({ store, gate, allowLists: createAllowListCache(), now: () => T });
  const results: (number | 'dropped')[] = [];
  const handler = createUpdateHandler({
    apexLabels: ['auth', 'example', 'org'],
    accounts,
    logger: pino({ level: 'silent' }),
    now: () => T,
    metrics: { dnsUpdate: (r) => void results.push(r) },
  });
  return { handler, applied, results };
}

const ADD: UpdateSpec = { updates: [{ name: OWN, type: TYPE.TXT, ttl: 60, txt: ['v'] }] };

const rcodeOf = (msg: Buffer): number => msg.readUInt16BE(2) & 0xf;
const sign = (spec: UpdateSpec, key: TsigKey = KEY, at = T) => signRequest(buildUpdate(spec), key, at);

describe('UPDATE handler', () => {
  test('a signed add: NOERROR, signed with the request key, zone echoed, applied and audited', async () => {
    const { handler, applied, results } = setup();
    const request = sign(ADD);
    const reply = await handler(request.bytes, 'udp', '192.0.2.1');
    if (!reply) throw new Error('no reply');
    expect(rcodeOf(reply)).toBe(Rcode.NOERROR);
    expect((reply.readUInt16BE(2) >> 11) & 0xf).toBe(5);
    expect(reply.readUInt16BE(0)).toBe(0x2136);
    expect([reply.readUInt16BE(4), reply.readUInt16BE(6), reply.readUInt16BE(8), reply.readUInt16BE(10)]).toEqual([1, 0, 0, 1]);
    expect(request.verifyReply(reply, T)).toBe(true);
    expect(applied).toEqual([{ update: { deleteAll: false, remove: [], add: ['v'] }, audit: { actor: 'rfc2136', client: '192.0.2.1', key: 'k1.example' } }]);
    expect(results).toEqual([Rcode.NOERROR]);
  });

  test('unsigned: REFUSED, nothing applied', async () => {
    const { handler, applied } = setup();
    const reply = await handler(buildUpdate(ADD), 'tcp', '192.0.2.1');
    expect(reply && rcodeOf(reply)).toBe(Rcode.REFUSED);
    expect(applied).toEqual([]);
  });

  test.each([
    ['a wrong secret', { ...KEY, secret: Buffer.alloc(32, 9) }, T, TsigErrorCode.BADSIG],
    ['an unknown key', { ...KEY, name: 'nobody.example' }, T, TsigErrorCode.BADKEY],
    ['a stale time', KEY, T - 301, TsigErrorCode.BADTIME],
    ['another algorithm', { ...KEY, algorithm: 'hmac-sha512' as const }, T, TsigErrorCode.BADKEY],
  ])('%s: NOTAUTH with the TSIG error, nothing applied', async (_what, key, at, error) => {
    const { handler, applied, results } = setup();
    const reply = await handler(sign(ADD, key, at).bytes, 'udp', '192.0.2.1');
    if (!reply) throw new Error('no reply');
    expect(rcodeOf(reply)).toBe(UpdateRcode.NOTAUTH);
    expect(findTsig(reply)?.error).toBe(error);
    expect(applied).toEqual([]);
    expect(results).toEqual([UpdateRcode.NOTAUTH]);
  });

  test('failures from one address are limited: then even the right key is REFUSED there, unsigned', async () => {
    const { handler, applied } = setup();
    const bad = { ...KEY, secret: Buffer.alloc(32, 9) };
    for (let i = 0; i < 3; i++) expect(rcodeOf((await handler(sign(ADD, bad).bytes, 'udp', '192.0.2.1')) as Buffer)).toBe(UpdateRcode.NOTAUTH);
    const reply = (await handler(sign(ADD).bytes, 'udp', '192.0.2.1')) as Buffer;
    expect(rcodeOf(reply)).toBe(Rcode.REFUSED);
    expect(findTsig(reply)).toBeUndefined();
    expect(applied).toEqual([]);
    expect(rcodeOf((await handler(sign(ADD).bytes, 'udp', '192.0.2.2')) as Buffer)).toBe(Rcode.NOERROR);
  });

  test('allowfrom: REFUSED from elsewhere (signed), applied from inside', async () => {
    const { handler, applied } = setup({ account: { ...ACCOUNT, allowFrom: ['198.51.100.0/24'] } });
    const request = sign(ADD);
    const reply = (await handler(request.bytes, 'udp', '192.0.2.1')) as Buffer;
    expect(rcodeOf(reply)).toBe(Rcode.REFUSED);
    expect(request.verifyReply(reply, T)).toBe(true);
    expect(applied).toEqual([]);
    expect(rcodeOf((await handler(sign(ADD).bytes, 'udp', '198.51.100.9')) as Buffer)).toBe(Rcode.NOERROR);
  });

  test.each<[string, UpdateSpec, number]>([
    ['another name', { updates: [{ name: 'other.auth.example.org', type: TYPE.TXT, ttl: 60, txt: ['v'] }] }, Rcode.REFUSED],
    ['another zone', { ...ADD, zone: 'example.org' }, UpdateRcode.NOTAUTH],
    ['a prerequisite that fails (name not in use)', { ...ADD, prerequisites: [{ name: OWN, type: TYPE.ANY, klass: CLASS.NONE }] }, UpdateRcode.YXDOMAIN],
    ['a prerequisite that fails (RRset absent)', { ...ADD, prerequisites: [{ name: OWN, type: TYPE.TXT, klass: CLASS.NONE }] }, UpdateRcode.YXRRSET],
  ])('%s: the RCODE, signed, nothing applied', async (_what, spec, rcode) => {
    const { handler, applied } = setup();
    const request = sign(spec);
    const reply = (await handler(request.bytes, 'tcp', '192.0.2.1')) as Buffer;
    expect(rcodeOf(reply)).toBe(rcode);
    expect(request.verifyReply(reply, T)).toBe(true);
    expect(applied).toEqual([]);
  });

  test('the store down: SERVFAIL, signed', async () => {
    const { handler } = setup({ fail: new StoreUnavailableError('down') });
    const request = sign(ADD);
    const reply = (await handler(request.bytes, 'tcp', '192.0.2.1')) as Buffer;
    expect(rcodeOf(reply)).toBe(Rcode.SERVFAIL);
    expect(request.verifyReply(reply, T)).toBe(true);
  });

  test('malformed: FORMERR header only; a truncated TSIG: FORMERR; oversized over UDP: REFUSED; a response: dropped', async () => {
    const { handler, results } = setup();
    const bytes = sign(ADD).bytes;
    const truncated = Buffer.from(bytes.subarray(0, bytes.length - 3));
    // Shorten the TSIG's RDLENGTH so the record still ends where the message does.
    const tsigAt = findTsig(bytes)?.start as number;
    truncated.writeUInt16BE(truncated.readUInt16BE(tsigAt + 'k1.example'.length + 2 + 8) - 3, tsigAt + 'k1.example'.length + 2 + 8);
    const formerr = (await handler(truncated, 'tcp', '192.0.2.1')) as Buffer;
    expect(rcodeOf(formerr)).toBe(Rcode.FORMERR);
    const badCounts = Buffer.from(bytes);
    badCounts.writeUInt16BE(5, 8);
    const reply = (await handler(badCounts, 'tcp', '192.0.2.1')) as Buffer;
    expect(rcodeOf(reply)).toBe(Rcode.FORMERR);
    expect(reply.readUInt16BE(4)).toBe(0);
    const big = sign({ updates: [{ name: OWN, type: TYPE.TXT, ttl: 60, txt: Array.from({ length: 17 }, () => 'x'.repeat(255)) }] }).bytes;
    expect(rcodeOf((await handler(big, 'udp', '192.0.2.1')) as Buffer)).toBe(Rcode.REFUSED);
    const response = Buffer.from(bytes);
    response[2] = (response[2] as number) | 0x80;
    expect(await handler(response, 'udp', '192.0.2.1')).toBeNull();
    expect(results).toEqual([Rcode.FORMERR, Rcode.FORMERR, Rcode.REFUSED, 'dropped']);
  });
});
