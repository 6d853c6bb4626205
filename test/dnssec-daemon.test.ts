/**
 * DNSSEC wired into the daemon (issue 11) on a real SQLite file: off, nothing changes and no key is
 * made; on, the first start stores one key set, DNSKEY is answered and answers with DO carry RRSIGs
 * by the stored key; a restart keeps the key; a key set replaced in the store is signed with after
 * the next key_poll.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as dnsPacket from 'dns-packet';
import { newKeysetDocument, parseKeysetDocument, serializeKeysetDocument, signingKeyFromPem, type SigningKey } from '../src/dns/dnssec';
import { openSqliteStore, type Store } from '../src/store';
import { register, txtValue, update } from './support/api-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { rcodeOf, txtValues, udpQuery, type Reply } from './support/dns-client';
import { validateReplies } from './support/dnssec';
import { until } from './support/poll';

const APEX = 'auth.example.org';
const DNSKEY = 48;
const DO = { udpSize: 1232, dnssecOk: true } as const;

/** The keys of a stored key set document. */
function storedKeys(document: string): SigningKey[] {
  return parseKeysetDocument(document).keys.map((k) => signingKeyFromPem(k.privateKeyPem, k.algorithm));
}

/** Their tags. */
function storedTags(document: string): number[] {
  return storedKeys(document).map((k) => k.tag);
}

/** The key tags of the RRSIGs over `type` in a section. */
function rrsigTags(section: readonly dnsPacket.Answer[] | undefined, type: string): number[] {
  return (section ?? []).flatMap((a) => (a.type === 'RRSIG' && a.data.typeCovered === type ? [a.data.keyTag] : []));
}

/** The DNSKEY RDATA public keys of an answer, base64. */
function dnskeys(reply: Reply): string[] {
  return (reply.packet.answers ?? []).flatMap((a) => (a.type === 'DNSKEY' ? [a.data.key.toString('base64')] : []));
}

let dir: string;
let dbFile: string;
const daemons: TestDaemon[] = [];
let reader: Store | undefined;
/** A store on the daemon's file, as the CLI (or another instance) opens it. */
const store = (): Store => (reader ??= openSqliteStore({ file: dbFile, txt: { keep: 4, maxAgeSeconds: 1000 }, zone: APEX }));
const start = async (dnssec: string): Promise<TestDaemon> => {
  const t = await startTestDaemon({ sqliteFile: dbFile, extra: dnssec });
  daemons.push(t);
  return t;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-dnssec-daemon-'));
  dbFile = path.join(dir, 'acmedns.db');
});
afterEach(async () => {
  for (const t of daemons.splice(0)) await t.stop();
  await reader?.close();
  reader = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

test('DNSSEC off: DNSKEY is NODATA, answers carry no RRSIG even with DO, and no key set is stored', async () => {
  const t = await start('');
  const reply = await udpQuery(t.dns, { name: APEX, type: DNSKEY, edns: DO });
  expect(rcodeOf(reply)).toBe('NOERROR');
  expect(reply.packet.answers).toEqual([]);
  expect(reply.packet.authorities?.map((a) => a.type)).toEqual(['SOA']);
  const soa = await udpQuery(t.dns, { name: APEX, type: 'SOA', edns: DO });
  expect(soa.packet.answers?.map((a) => a.type)).toEqual(['SOA']);
  await expect(store().getDnssecKeyset()).resolves.toBeUndefined();
});

test('DNSSEC on: one key set stored at the first start, DNSKEY answered, TXT signed by the stored key; a restart keeps the key', async () => {
  const t = await start('[dnssec]\nenabled = true\n');
  const stored = await store().getDnssecKeyset();
  expect(stored?.version).toBe(1);
  const tags = storedTags(stored?.document ?? '');
  expect(tags).toHaveLength(1);
  expect(t.logText()).toContain('DNSSEC key generated and stored');

  // The DNSKEY RRset is zone data: served with or without DO; signed with DO.
  const plain = await udpQuery(t.dns, { name: APEX, type: DNSKEY });
  expect(dnskeys(plain)).toHaveLength(1);
  expect(rrsigTags(plain.packet.answers, 'DNSKEY')).toEqual([]);
  const signed = await udpQuery(t.dns, { name: APEX, type: DNSKEY, edns: DO });
  expect(dnskeys(signed)).toEqual(dnskeys(plain));
  expect(rrsigTags(signed.packet.answers, 'DNSKEY')).toEqual(tags);

  const account = await register(t.api);
  const value = txtValue('signed');
  expect((await update(t.api, account, value)).status).toBe(200);
  const txt = await udpQuery(t.dns, { name: account.fulldomain, type: 'TXT', edns: DO });
  expect(txtValues(txt)).toEqual([value]);
  expect(rrsigTags(txt.packet.answers, 'TXT')).toEqual(tags);
  // And they validate (dnspython) with the stored key, the DNSKEY RRset's own signature included.
  const [checked, checkedKeys] = await validateReplies(APEX, storedKeys(stored?.document ?? ''), Math.floor(Date.now() / 1000), [txt.raw, signed.raw]);
  expect(checked?.sections.answer.map((r) => [r.type, r.rrsigs, r.valid])).toEqual([['TXT', 1, true]]);
  expect(checkedKeys?.sections.answer.map((r) => [r.type, r.rrsigs, r.valid])).toEqual([['DNSKEY', 1, true]]);
  // Without DO: today's answer, no RRSIG.
  const unsigned = await udpQuery(t.dns, { name: account.fulldomain, type: 'TXT', edns: { udpSize: 1232 } });
  expect(unsigned.packet.answers?.map((a) => a.type)).toEqual(['TXT']);

  await t.stop();
  daemons.splice(0);
  const again = await start('[dnssec]\nenabled = true\n');
  await expect(store().getDnssecKeyset()).resolves.toEqual(stored);
  expect(again.logText()).toContain('DNSSEC keys loaded');
  expect(dnskeys(await udpQuery(again.dns, { name: APEX, type: DNSKEY }))).toEqual(dnskeys(plain));
  expect(rrsigTags((await udpQuery(again.dns, { name: account.fulldomain, type: 'TXT', edns: DO })).packet.answers, 'TXT')).toEqual(tags);
});

test('a key set replaced in the store (a new version) is served and signed with after key_poll', async () => {
  const t = await start('[dnssec]\nenabled = true\nkey_poll = "1s"\n');
  const first = await store().getDnssecKeyset();
  const next = serializeKeysetDocument(newKeysetDocument(15, Math.floor(Date.now() / 1000)));
  await expect(store().replaceDnssecKeyset(first?.version ?? 0, next)).resolves.toBe(true);
  const tags = storedTags(next);
  expect(tags).not.toEqual(storedTags(first?.document ?? ''));
  await until('the new key to sign the SOA', async () => {
    const soa = await udpQuery(t.dns, { name: APEX, type: 'SOA', edns: DO });
    return JSON.stringify(rrsigTags(soa.packet.answers, 'SOA')) === JSON.stringify(tags);
  });
  const reply = await udpQuery(t.dns, { name: APEX, type: DNSKEY, edns: DO });
  expect(reply.packet.answers?.flatMap((a) => (a.type === 'DNSKEY' ? [a.data.algorithm] : []))).toEqual([15]);
  expect(rrsigTags(reply.packet.answers, 'DNSKEY')).toEqual(tags);
  expect(t.logText()).toContain('DNSSEC key set changed');
});
