/**
 * Signed queries (RFC 8945) against the real server with real clients: BIND's dig and Knot's kdig
 * sign SOA and TXT queries with every algorithm over UDP and TCP and must accept our signed
 * answers; wrong secrets, unknown keys, stale times and a server without keys are refused with
 * NOTAUTH and the TSIG error of RFC 8945 §5.2. certbot's rfc2136 plugin finds its zone this way
 * (its query is run through dnspython, /usr/bin/python3 from python3-dnspython).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { NameData } from '../src/core/types';
import type { TsigAlgorithm, TsigKey, TsigRecord } from '../src/dns/tsig';
import { algorithmWireName, findTsig, signRequest, TSIG_ALGORITHMS } from '../src/dns/tsig';
import { buildQuery, parseReply, sendUdp, udpQuery, type Target } from './support/dns-client';
import { SAMPLE_SUB, SAMPLE_VALUES, sampleAccounts, startDns, type Harness } from './support/dns-server';

const run = promisify(execFile);
const ZONE = 'auth.example.org';
const ACCOUNT = `${SAMPLE_SUB}.${ZONE}`;

/** One key per algorithm, named after it. */
const KEYS = new Map<string, TsigKey>(
  TSIG_ALGORITHMS.map((algorithm) => [`${algorithm}.keys.test`, { name: `${algorithm}.keys.test`, algorithm, secret: randomBytes(32) }]),
);
const keyOf = (algorithm: TsigAlgorithm): TsigKey => KEYS.get(`${algorithm}.keys.test`) as TsigKey;
const lookup = async (name: string): Promise<TsigKey | undefined> => KEYS.get(name);

/** What dig and kdig print when a reply's TSIG does not verify (checked below: a broken MAC shows them). */
const DIG_UNVERIFIED = /Couldn't verify signature|Some TSIG could not be validated/;
const KDIG_UNVERIFIED = /reply verification/;

type Tool = 'dig' | 'kdig';

/** Runs dig or kdig against `target`, signed with `-y alg:name:secret`; stdout and stderr together. */
async function ask(tool: Tool, target: Target, tcp: boolean, y: string, name: string, type: string): Promise<string> {
  const args = [`@${target.address}`, '-p', String(target.port), '-y', y, ...(tcp ? ['+tcp'] : []), '+norecurse', name, type];
  try {
    const { stdout, stderr } = await run(tool, args, { encoding: 'utf8' });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
}

const yOf = (key: TsigKey, secret = key.secret): string => `${key.algorithm}:${key.name}:${secret.toString('base64')}`;

/** The TSIG pseudo-section line both tools print: key, algorithm, time, fudge, MAC size, MAC (dig splits it), ID, error. */
function tsigLine(key: string, algorithm: string, macSize: number, error: string): RegExp {
  const esc = (s: string): string => s.replace(/\./g, '\\.');
  return new RegExp(`^${esc(key)}\\.\\s+0\\s+ANY\\s+TSIG\\s+${esc(algorithm)}\\. \\d+ 300 ${macSize} ([^ ]+ )*\\d+ ${error} `, 'm');
}

function tsigOf(raw: Buffer): TsigRecord {
  const record = findTsig(raw);
  if (!record) throw new Error('reply without TSIG');
  return record;
}

const MAC_SIZE: Record<TsigAlgorithm, number> = {
  'hmac-md5': 16,
  'hmac-sha1': 20,
  'hmac-sha224': 28,
  'hmac-sha256': 32,
  'hmac-sha384': 48,
  'hmac-sha512': 64,
};

describe('signed queries with real clients', () => {
  let h: Harness;
  const accounts = sampleAccounts();
  beforeAll(async () => {
    h = await startDns({ accounts, tsigKey: lookup, now: () => Date.now() / 1000 });
  });
  afterAll(() => h.stop());

  const cases = TSIG_ALGORITHMS.flatMap((algorithm) =>
    (['dig', 'kdig'] as const).flatMap((tool) => [false, true].map((tcp) => [algorithm, tool, tcp ? 'TCP' : 'UDP'] as const)),
  );

  test.each(cases)('%s with %s over %s: NOERROR, AA, the data, a signature the tool accepts', async (algorithm, tool, transport) => {
    const key = keyOf(algorithm);
    const tcp = transport === 'TCP';
    const target = tcp ? h.tcp : h.udp;
    const soa = await ask(tool, target, tcp, yOf(key), ZONE, 'SOA');
    const txt = await ask(tool, target, tcp, yOf(key), ACCOUNT, 'TXT');
    for (const out of [soa, txt]) {
      expect(out).toMatch(/status: NOERROR/);
      expect(out).toMatch(/[Ff]lags: qr aa;/);
      expect(out).toMatch(tsigLine(key.name, algorithmWireName(algorithm), MAC_SIZE[algorithm], 'NOERROR'));
      expect(out).not.toMatch(tool === 'dig' ? DIG_UNVERIFIED : KDIG_UNVERIFIED);
      expect(out).toContain(`(${transport})`);
    }
    expect(soa).toMatch(new RegExp(`^${ZONE.replace(/\./g, '\\.')}\\.\\s+\\d+\\s+IN\\s+SOA\\s`, 'm'));
    for (const v of SAMPLE_VALUES) expect(txt).toContain(`"${v}"`);
  });

  // certbot-dns-rfc2136's zone search, as its _query_soa does it (dnspython, HMAC-MD5 by default,
  // RD off, TCP then UDP): dnspython raises when our signature does not verify.
  test.each(['tcp', 'udp'])("certbot's signed SOA query through dnspython over %s", async (transport) => {
    const key = keyOf('hmac-md5');
    const script = [
      'import base64, json, sys, dns.flags, dns.message, dns.query, dns.rdataclass, dns.rdatatype, dns.tsig, dns.tsigkeyring',
      'name, secret, host, port, transport = sys.argv[1:]',
      "keyring = dns.tsigkeyring.from_text({name: secret})",
      'domain = dns.name.from_text("auth.example.org")',
      'request = dns.message.make_query(domain, dns.rdatatype.SOA, dns.rdataclass.IN)',
      'request.flags ^= dns.flags.RD',
      'request.use_tsig(keyring, algorithm=dns.tsig.HMAC_MD5)',
      'query = dns.query.tcp if transport == "tcp" else dns.query.udp',
      'response = query(request, host, 5, int(port))',
      'soa = response.get_rrset(response.answer, domain, dns.rdataclass.IN, dns.rdatatype.SOA)',
      'print(json.dumps({"rcode": response.rcode(), "aa": bool(response.flags & dns.flags.AA), "soa": soa is not None, "signed": response.had_tsig}))',
    ].join('\n');
    const target = transport === 'tcp' ? h.tcp : h.udp;
    const { stdout } = await run('/usr/bin/python3', ['-c', script, key.name, key.secret.toString('base64'), target.address, String(target.port), transport]);
    expect(JSON.parse(stdout)).toEqual({ rcode: 0, aa: true, soa: true, signed: true });
  });

  test.each(['dig', 'kdig'] as const)('%s: a wrong secret is NOTAUTH with BADSIG', async (tool) => {
    const key = keyOf('hmac-sha256');
    const out = await ask(tool, h.udp, false, yOf(key, randomBytes(32)), ACCOUNT, 'TXT');
    // kdig names the TSIG error as the status; dig shows NOTAUTH and the error in the TSIG line.
    expect(out).toMatch(tool === 'dig' ? /status: NOTAUTH/ : /status: BADSIG/);
    expect(out).toMatch(tsigLine(key.name, 'hmac-sha256', 0, 'BADSIG'));
    expect(out).not.toContain(SAMPLE_VALUES[0]);
  });

  test.each(['dig', 'kdig'] as const)('%s: an unknown key, or a known key with another algorithm, is NOTAUTH with BADKEY', async (tool) => {
    const key = keyOf('hmac-sha256');
    const unknown = await ask(tool, h.udp, false, `hmac-sha256:nobody.keys.test:${key.secret.toString('base64')}`, ACCOUNT, 'TXT');
    const mismatch = await ask(tool, h.udp, false, `hmac-sha512:${key.name}:${key.secret.toString('base64')}`, ACCOUNT, 'TXT');
    for (const out of [unknown, mismatch]) {
      expect(out).toMatch(tool === 'dig' ? /status: NOTAUTH/ : /status: BADKEY/);
      expect(out).not.toContain(SAMPLE_VALUES[0]);
    }
    expect(unknown).toMatch(tsigLine('nobody.keys.test', 'hmac-sha256', 0, 'BADKEY'));
    expect(mismatch).toMatch(tsigLine(key.name, 'hmac-sha512', 0, 'BADKEY'));
  });

  test('a request signed outside the fudge is NOTAUTH with BADTIME, our time in Other Data', async () => {
    const key = keyOf('hmac-sha256');
    const before = Math.floor(Date.now() / 1000);
    const signed = signRequest(buildQuery({ id: 0x5151, name: ACCOUNT, type: 'TXT' }), key, before - 301);
    const raw = await sendUdp(h.udp, signed.bytes);
    if (!raw) throw new Error('no reply');
    const after = Math.ceil(Date.now() / 1000);
    const reply = parseReply(raw);
    expect(reply).toMatchObject({ id: 0x5151, rcode: 9, aa: false, qdcount: 1 });
    expect(reply.packet.answers ?? []).toEqual([]);
    const tsig = tsigOf(raw);
    expect(tsig).toMatchObject({ keyName: key.name, error: 18, timeSigned: before - 301 });
    expect(tsig.mac.length).toBe(32);
    const serverTime = tsig.other.readUIntBE(0, 6);
    expect(serverTime).toBeGreaterThanOrEqual(before);
    expect(serverTime).toBeLessThanOrEqual(after);
  });

  test('within the fudge our own signed request is answered and the answer verifies', async () => {
    const key = keyOf('hmac-sha1');
    const signed = signRequest(buildQuery({ name: ACCOUNT, type: 'TXT' }), key, Date.now() / 1000 - 299);
    const raw = await sendUdp(h.udp, signed.bytes);
    if (!raw) throw new Error('no reply');
    expect(parseReply(raw).rcode).toBe(0);
    expect(signed.verifyReply(raw, Date.now() / 1000)).toBe(true);
  });

  test('an answer that fits unsigned but not with its TSIG comes truncated (TC), still signed', async () => {
    const key = keyOf('hmac-sha512');
    const overhead = 20 + 10 + 13 + 10 + 64 + 6; // hmac-sha512.keys.test, the RR's fixed parts, MAC
    // Grow an account's answer until it no longer fits in 512 octets with the TSIG RR.
    let size = 0;
    for (let n = 1; size <= 512 - overhead; n++) {
      accounts.set('big', { values: Array.from({ length: n }, (_, i) => `value-${i}`.padEnd(30, 'x')) } satisfies NameData);
      size = (await udpQuery(h.udp, { name: `big.${ZONE}` })).raw.length;
    }
    expect(size).toBeLessThanOrEqual(512);
    const signed = signRequest(buildQuery({ name: `big.${ZONE}` }), key, Date.now() / 1000);
    const raw = await sendUdp(h.udp, signed.bytes);
    if (!raw) throw new Error('no reply');
    expect(parseReply(raw)).toMatchObject({ tc: true, rcode: 0 });
    expect(raw.length).toBeLessThanOrEqual(512);
    expect(signed.verifyReply(raw, Date.now() / 1000)).toBe(true);
  });

  test('unsigned queries are answered as before, without a TSIG', async () => {
    const reply = await udpQuery(h.udp, { name: ACCOUNT });
    expect(reply.rcode).toBe(0);
    expect(reply.raw.readUInt16BE(10)).toBe(0);
    expect(findTsig(reply.raw)).toBeUndefined();
  });

  test('no secret reaches the log', () => {
    const text = JSON.stringify(h.logs);
    for (const key of KEYS.values()) expect(text).not.toContain(key.secret.toString('base64'));
  });
});

describe('the server clock 1000 s ahead: the real clients read our BADTIME answers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startDns({ accounts: sampleAccounts(), tsigKey: lookup, now: () => Date.now() / 1000 + 1000 });
  });
  afterAll(() => h.stop());

  // dig says "clocks are unsynchronized" and kdig "out of time window" only when the MAC verified;
  // a bad MAC makes them say "tsig verify failure" / "failed to verify TSIG".
  test.each([
    ['dig', /Couldn't verify signature: clocks are unsynchronized/, /tsig verify failure/],
    ['kdig', /TSIG out of time window/, /failed to verify TSIG/],
  ] as const)('%s', async (tool, skew, unverified) => {
    const key = keyOf('hmac-sha384');
    const out = await ask(tool, h.udp, false, yOf(key), ACCOUNT, 'TXT');
    expect(out).toMatch(skew);
    expect(out).not.toMatch(unverified);
    expect(out).toMatch(tsigLine(key.name, 'hmac-sha384', 48, 'BADTIME'));
  });

  test('the unsigned error answers keep the request time, so dig reports the error, not the clock', async () => {
    const key = keyOf('hmac-sha256');
    const out = await ask('dig', h.udp, false, yOf(key, randomBytes(32)), ACCOUNT, 'TXT');
    expect(out).toMatch(/Couldn't verify signature: tsig indicates error/);
    expect(out).toMatch(tsigLine(key.name, 'hmac-sha256', 0, 'BADSIG'));
  });
});

test('a server without TSIG keys answers every signed query NOTAUTH with BADKEY', async () => {
  const h = await startDns({ accounts: sampleAccounts(), now: () => Date.now() / 1000 });
  try {
    const signed = signRequest(buildQuery({ name: ACCOUNT }), keyOf('hmac-sha256'), Date.now() / 1000);
    const raw = await sendUdp(h.udp, signed.bytes);
    if (!raw) throw new Error('no reply');
    expect(parseReply(raw).rcode).toBe(9);
    expect(tsigOf(raw)).toMatchObject({ error: 17, mac: Buffer.alloc(0) });
  } finally {
    await h.stop();
  }
});
