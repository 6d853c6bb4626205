// A server's whole process tree from /proc (proc(5)): with DNS workers (issue 12) the server is a
// primary and its forked workers, so its CPU and its memory are sums over all of them.
import fs from 'node:fs';

/** Fields of /proc/<pid>/stat after "(comm)", so index 0 is field 3 (state). */
export function statFields(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
}

/** Parent pid of every live process, from /proc/<pid>/stat field 4. */
function parents() {
  const ppid = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      ppid.set(Number(entry), statFields(entry)[1]);
    } catch {
      // exited meanwhile
    }
  }
  return ppid;
}

/** `pid` and every live descendant of it. */
export function processTree(pid) {
  const ppid = parents();
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of ppid) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

/**
 * { kib, pssKib, processes }: VmRSS summed over the tree (/proc/<pid>/status), the same for Pss
 * (/proc/<pid>/smaps_rollup: each shared page counted once across the processes sharing it, so the
 * sum is the physical memory the tree holds; the RSS sum counts the node binary once per process),
 * and how many processes.
 */
export function treeRss(pid) {
  let kib = 0;
  let pssKib = 0;
  const tree = processTree(pid);
  for (const p of tree) {
    try {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) kib += Number(m[1]);
      const pss = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
      if (pss) pssKib += Number(pss[1]);
    } catch {
      // exited meanwhile
    }
  }
  return { kib, pssKib, processes: tree.length };
}

/**
 * Samples the tree's RSS every `everyMs` until stop(); stop() resolves { startKib (first
 * sample), peakKib, peakPssKib (the highest PSS sum sampled), processes (at the RSS peak) }.
 */
export function sampleRss(pid, everyMs = 500) {
  const first = treeRss(pid);
  let peak = first;
  let peakPssKib = first.pssKib;
  const timer = setInterval(() => {
    const now = treeRss(pid);
    if (now.kib > peak.kib) peak = now;
    peakPssKib = Math.max(peakPssKib, now.pssKib);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const last = treeRss(pid);
      if (last.kib > peak.kib) peak = last;
      return { startKib: first.kib, peakKib: peak.kib, peakPssKib: Math.max(peakPssKib, last.pssKib), processes: peak.processes };
    },
  };
}
