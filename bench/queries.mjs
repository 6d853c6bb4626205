// dnsperf input files ("name type" per line), shared by every server so they answer the same
// questions.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Randomises the case of each letter, as resolvers do with 0x20 encoding (draft-vixie-dnsext-dns0x20). */
export function mixCase(name) {
  // On bytes (names here are ASCII): a million names take a fraction of a second, not 15 s.
  const b = Buffer.from(name, 'latin1');
  for (let i = 0; i < b.length; i++) {
    const lower = b[i] | 0x20;
    if (lower >= 0x61 && lower <= 0x7a && Math.random() < 0.5) b[i] ^= 0x20;
  }
  return b.toString('latin1');
}

/** Shuffles `list` in place (Fisher-Yates) and returns it. */
export function shuffle(list) {
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

/** `lines(names, type)` written to `file` in chunks, so a million names never make one string. */
export function writeLines(file, names, type) {
  const fd = fs.openSync(file, 'w');
  try {
    for (let i = 0; i < names.length; i += 100_000) fs.writeSync(fd, lines(names.slice(i, i + 100_000), type));
  } finally {
    fs.closeSync(fd);
  }
}

/** Distinct names in the random-subdomain flood file (issue 12): more than any run sends. */
export const NX_FLOOD_NAMES = 1_000_000;

/**
 * Writes `count` new random names `nx-<16 hex>.<zone>` (TXT, half 0x20-mixed) to `file`: a
 * random-subdomain flood, where no name repeats within a run, so a cache of negative answers
 * cannot absorb it (unlike the 10,000-name `nx` file, which repeats every 10,000 queries).
 * Called before every run that uses it, so a repeated run (retry) asks new names too.
 */
export function writeNxFlood(file, zone, count = NX_FLOOD_NAMES) {
  const hex = crypto.randomBytes(8 * count).toString('hex');
  const names = Array.from({ length: count }, (_, i) => `nx-${hex.slice(16 * i, 16 * i + 16)}.${zone}`);
  writeLines(file, names, 'TXT');
}

/**
 * Writes the query files into `dir` and returns their paths:
 * txtOne  – TXT for account 0 only (the one-account server has just that name);
 * txtMany – TXT for every account, shuffled (the 100,000-account server);
 * soa     – SOA at the apex;
 * nx      – TXT for random names under the zone that do not exist (NXDOMAIN, RFC 2308 §2.1);
 *           10,000 names that repeat: the issue-2 measure, kept so its bar means what it meant;
 * nxFlood – the path of the random-subdomain flood file (writeNxFlood, new names every run).
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
  // Written before each run that uses it (writeNxFlood), never here.
  const paths = { nxFlood: path.join(dir, 'queries-nxFlood.txt') };
  for (const [key, text] of Object.entries(files)) {
    paths[key] = path.join(dir, `queries-${key}.txt`);
    fs.writeFileSync(paths[key], text);
  }
  return paths;
}
