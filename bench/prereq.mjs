// What the bench needs before it starts anything: the Debian tools, the built server, two cores.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The binaries the bench runs and the Debian package that ships each. */
const TOOLS = [
  { bin: 'dnsperf', pkg: 'dnsperf' },
  { bin: 'knotd', pkg: 'knot' },
  { bin: 'knotc', pkg: 'knot' },
  { bin: 'taskset', pkg: 'util-linux' },
  { bin: 'nsd', pkg: 'nsd' },
];

/** Looks a binary up in PATH plus the sbin folders (knotd lives in /usr/sbin). */
function which(bin) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const full = path.join(dir, bin);
    try {
      fs.accessSync(full, fs.constants.X_OK);
      return full;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Resolves every tool to an absolute path and checks the build; throws one message naming all
 * missing Debian packages (and `npm run build` when dist/ is absent and `needBuild`).
 */
export function checkPrerequisites(root, needBuild = true) {
  const found = {};
  const missing = new Set();
  for (const { bin, pkg } of TOOLS) {
    const full = which(bin);
    if (full) found[bin] = full;
    else missing.add(pkg);
  }
  const problems = [];
  if (missing.size > 0) {
    problems.push(`missing Debian package(s): ${[...missing].join(', ')} (apt-get install ${[...missing].join(' ')})`);
  }
  for (const f of needBuild ? ['dist/main.js', 'dist/store/sqlite/index.js'] : []) {
    if (!fs.existsSync(path.join(root, f))) problems.push(`${f} not found: run "npm run build" (npm run bench does)`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return found;
}

/**
 * The cores for the server under test and for dnsperf: 0 and 1. With one core both share it
 * (figures are then not comparable with the bar, and the report says so). `count`: the cores this
 * process may use, read here because the bench pins itself to the load core right after.
 */
export function pickCores() {
  const n = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  return n >= 2 ? { server: 0, load: 1, shared: false, count: n } : { server: 0, load: 0, shared: true, count: n };
}
