/**
 * Our zone's DS at the signed parent, as an operator puts it there: the lines `acmedns dnssec ds`
 * prints (the built CLI against the running daemon's store) go into example.test through a knotc
 * transaction; then the test waits until the validating resolver sees our apex as secure.
 */
import { runCli } from '../support/server-process';
import { until } from '../support/poll';
import { ZONE, type Topology } from './index';
import { askResolver } from './validation';

/** A DS line in one form (`<owner>. DS <tag> <alg> <digest type> <HEX>`), whatever TTL, class or spacing it came with. */
export function normalDs(line: string): string {
  const m = /^(\S+?)\.?\s+(?:\d+\s+)?(?:IN\s+)?DS\s+(\d+)\s+(\d+)\s+(\d+)\s+([0-9A-Fa-f\s]+)$/i.exec(line.trim());
  if (!m) throw new Error(`not a DS line: ${line}`);
  return `${(m[1] ?? '').toLowerCase()}. DS ${m[2]} ${m[3]} ${m[4]} ${(m[5] ?? '').replace(/\s+/g, '').toUpperCase()}`;
}

/** The DS lines for our zone in `acmedns dnssec ds -c <configFile>`'s output (`<zone>. [ttl] [IN] DS <tag> <alg> 2 <hex>`). */
export async function ourDsLines(configFile: string): Promise<string[]> {
  const r = await runCli(['dnssec', 'ds', '-c', configFile]);
  if (r.code !== 0) throw new Error(`acmedns dnssec ds exited ${r.code}:\n${r.stderr}${r.stdout}`);
  const owner = ZONE.replace(/\./g, '\\.');
  const lines = r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => new RegExp(`^${owner}\\.\\s+(\\d+\\s+)?(IN\\s+)?DS\\s+`, 'i').test(l))
    .map(normalDs);
  if (lines.length === 0) throw new Error(`acmedns dnssec ds printed no DS line for ${ZONE}:\n${r.stdout}`);
  return lines;
}

/** `auth` relative to the parent: where the DS RRset goes. */
export const CHILD_LABEL = ZONE.split('.')[0] ?? '';

/**
 * Replaces the DS at the parent with `lines` (DS TTL `ttl`) and waits for unbound to validate our
 * apex SOA. `afterBogus`: our zone was made bogus on purpose, so unbound's 60 s blackout of it is
 * flushed first, as an operator does after fixing the DS.
 */
export async function publishDs(topo: Topology, lines: readonly string[], options: { ttl?: number; log?: () => string; afterBogus?: boolean } = {}): Promise<void> {
  await topo.knot.setDs(CHILD_LABEL, lines, options.ttl);
  if (options.afterBogus) await topo.unbound.forgetBogus(ZONE);
  await until('our apex SOA to validate through unbound', async () => (await askResolver({ address: topo.addresses.unbound, port: 53 }, ZONE, 'SOA')).ad, {
    timeoutMs: 20_000,
    ...(options.log ? { log: options.log } : {}),
  });
}
