// dnsperf input files ("name type" per line), shared by every server so they answer the same
// questions.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Randomises the case of each letter, as resolvers do with 0x20 encoding (draft-vixie-dnsext-dns0x20). */
export function mixCase(name) {
  let out = '';
  for (const ch of name) out += Math.random() < 0.5 ? ch.toUpperCase() : ch.toLowerCase();
  return out;
}

function shuffle(list) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

/** Half the lines as written, half 0x20-mixed: both spellings must hit the same data. */
function lines(names, type) {
  return names.map((n, i) => `${i % 2 === 0 ? n : mixCase(n)} ${type}`).join('\n') + '\n';
}

/**
 * Writes the query files into `dir` and returns their paths:
 * txtOne  – TXT for account 0 only (the one-account server has just that name);
 * txtMany – TXT for every account, shuffled (the 100,000-account server);
 * soa     – SOA at the apex;
 * nx      – TXT for random names under the zone that do not exist (NXDOMAIN, RFC 2308 §2.1).
 */
export function writeQueryFiles(dir, zone, accounts) {
  const names = accounts.map((a) => `${a.subdomain}.${zone}`);
  const repeat = (name, n) => Array.from({ length: n }, () => name);
  const nx = Array.from({ length: 10000 }, () => `nx-${crypto.randomBytes(8).toString('hex')}.${zone}`);
  const files = {
    txtOne: lines(repeat(names[0], 10000), 'TXT'),
    txtMany: lines(shuffle([...names]), 'TXT'),
    soa: lines(repeat(zone, 10000), 'SOA'),
    nx: lines(nx, 'TXT'),
  };
  const paths = {};
  for (const [key, text] of Object.entries(files)) {
    paths[key] = path.join(dir, `queries-${key}.txt`);
    fs.writeFileSync(paths[key], text);
  }
  return paths;
}
