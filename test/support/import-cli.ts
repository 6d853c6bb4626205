/** Reading `acmedns import`'s summary and acting as a client that kept its acme-dns credentials. */
import type { AcmeDnsAccount } from './acmedns-db';

/** A summary line's number: `  created        1,203` -> 1203; throws when the line is missing. */
export function summaryCount(stdout: string, label: string): number {
  const line = stdout.split('\n').find((l) => l.trimStart().startsWith(label));
  if (!line) throw new Error(`no "${label}" line in:\n${stdout}`);
  return Number(line.trim().split(/\s+/).pop()?.replace(/,/g, ''));
}

/** POST /update with the credentials acme-dns handed out; resolves with the status. */
export async function updateAs(api: string, a: AcmeDnsAccount, txt: string): Promise<number> {
  const res = await fetch(`${api}/update`, {
    method: 'POST',
    headers: { 'X-Api-User': a.username, 'X-Api-Key': a.password ?? '', 'Content-Type': 'application/json' },
    body: JSON.stringify({ subdomain: a.subdomain, txt }),
  });
  await res.text();
  return res.status;
}
