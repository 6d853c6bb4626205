/**
 * The signed parent: knot's automatic signing of example.test (Knot 3.2 `policy`), one combined
 * ECDSA P-256 key (the algorithm our zone uses by default), NSEC, and the short times a test
 * topology can wait out. The validators take the parent's DS as their trust anchor, read with
 * `keymgr ... ds` exactly as an operator hands a DS to a registry.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The knot.conf `policy` section (before `zone:`). */
export const SIGNING_POLICY: readonly string[] = [
  'policy:',
  '  - id: test',
  '    algorithm: ecdsap256sha256',
  // One CSK signs everything (RFC 6781 §3.1.2 "single-type signing"), as our zone does.
  '    single-type-signing: on',
  '    nsec3: off',
  // Knot's own rollovers never happen during a test; the short times only bound its waits.
  '    dnskey-ttl: 60',
  '    zone-max-ttl: 60',
  '    propagation-delay: 0',
];

/** The lines under the zone's `- domain:` entry. */
export const signingZoneLines: readonly string[] = ['    dnssec-signing: on', '    dnssec-policy: test'];

/** `keymgr -c <conf> <zone> ds`: `<zone>. DS <tag> 13 2 <hex>` lines (SHA-256 only). */
export async function parentTrustAnchor(conf: string, zone: string): Promise<string[]> {
  const { stdout } = await run('keymgr', ['-c', conf, zone, 'ds']);
  const lines = stdout
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter((l) => / DS \d+ \d+ 2 [0-9A-Fa-f]+$/.test(l));
  if (lines.length === 0) throw new Error(`keymgr printed no SHA-256 DS for ${zone}:\n${stdout}`);
  return lines;
}
