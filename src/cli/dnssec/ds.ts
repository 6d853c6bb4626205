/**
 * `acmedns dnssec ds`: what the parent needs, for the keys whose DS belongs there (the active key,
 * and the incoming one during a rollover). The DS line is `keymgr <zone> ds`'s (SHA-256, RFC 4509),
 * then the DNSKEY line for registrars that take the key instead.
 */
import { dnskeyLine, dsLine, keysByRole } from '../../dns/dnssec';
import type { Out } from '../output';
import { currentKeyset, type DnssecContext } from './keyset-store';

/** Prints the DS and DNSKEY lines (or one JSON object with `--json`); claims the key set when there is none. */
export async function runDs(context: DnssecContext, out: Out, json: boolean, nowSeconds: number): Promise<void> {
  const { document, claimed } = await currentKeyset(context, nowSeconds);
  const apex = context.zone.apex;
  const { active, incoming } = keysByRole(document);
  const keys = [...active, ...incoming];
  if (json) {
    const list = keys.map(({ stored, key }) => ({ tag: key.tag, algorithm: key.algorithm, role: stored.role, ds: dsLine(apex, key), dnskey: dnskeyLine(apex, key) }));
    await out(`${JSON.stringify({ zone: apex, claimed, keys: list })}\n`);
    return;
  }
  if (claimed) process.stderr.write(`acmedns: no DNSSEC key set was stored for ${apex}: a new key was made (the server signs with it)\n`);
  await out([...keys.map((k) => dsLine(apex, k.key)), ...keys.map((k) => dnskeyLine(apex, k.key))].map((l) => `${l}\n`).join(''));
}
